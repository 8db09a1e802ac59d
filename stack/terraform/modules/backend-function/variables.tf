variable "name" {
  description = "Name of the backend function; also the name of its IAM role and, after /aws/lambda/, of its log group."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}[a-z0-9]$", var.name))
    error_message = "name must be 3-64 characters of lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "description" {
  description = "Description of the backend function."
  type        = string
  default     = "Backend of the gateaudit reference API (Lambda proxy integration)."

  validation {
    condition     = length(var.description) <= 256
    error_message = "description must be at most 256 characters (Lambda's limit)."
  }
}

variable "package_path" {
  description = "Path to the deployment zip of stack/backend (handler.py at the zip root), as built by `make package`."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip")
    error_message = "package_path must name a .zip file."
  }
}

variable "runtime" {
  description = "Python runtime of the function."
  type        = string
  default     = "python3.12"

  validation {
    condition     = contains(["python3.12", "python3.13"], var.runtime)
    error_message = "runtime must be \"python3.12\" or \"python3.13\"."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds (API Gateway stops waiting after 29 seconds by default)."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 29 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number between 1 and 29."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 90

  validation {
    condition = contains(
      [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
      var.log_retention_in_days,
    )
    error_message = "log_retention_in_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); 0 (never expire) is not allowed."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of a KMS key encrypting the function's log group; null uses CloudWatch Logs' own encryption. The key policy must let logs.REGION.amazonaws.com use it."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
}
