variable "region" {
  description = "AWS region to deploy the stack into."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like an AWS region code, e.g. \"eu-west-1\"."
  }
}

variable "name" {
  description = "Name prefix for every resource of the stack (lower case, digits and hyphens)."
  type        = string
  default     = "gateaudit-ref"

  validation {
    # Leaves room for the longest suffix ("-apigw-cloudwatch") inside IAM's 64-character role name limit.
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "stage_name" {
  description = "Name of the API Gateway stage."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,64}$", var.stage_name))
    error_message = "stage_name may contain only letters, digits and underscores (1-64 characters)."
  }
}

variable "lambda_runtime" {
  description = "Python runtime for the authorizer and backend functions."
  type        = string
  default     = "python3.12"

  validation {
    condition     = contains(["python3.12", "python3.13"], var.lambda_runtime)
    error_message = "lambda_runtime must be \"python3.12\" or \"python3.13\"."
  }
}

variable "authorizer_package" {
  description = "Path to the authorizer deployment zip, built from stack/authorizer (handler.py at the zip root). Null means stack/build/authorizer.zip."
  type        = string
  default     = null
}

variable "backend_package" {
  description = "Path to the backend deployment zip, built from stack/backend (handler.py at the zip root). Null means stack/build/backend.zip."
  type        = string
  default     = null
}

variable "authorizer_cache_ttl_seconds" {
  description = "How long API Gateway caches an authorizer decision per x-api-key value (0 disables caching)."
  type        = number
  default     = 300

  validation {
    condition     = var.authorizer_cache_ttl_seconds >= 0 && var.authorizer_cache_ttl_seconds <= 3600
    error_message = "authorizer_cache_ttl_seconds must be between 0 and 3600."
  }
}

variable "secret_cache_ttl_seconds" {
  description = "How long a warm authorizer keeps the API key it read from Secrets Manager."
  type        = number
  default     = 300

  validation {
    condition     = var.secret_cache_ttl_seconds >= 0 && var.secret_cache_ttl_seconds <= 3600
    error_message = "secret_cache_ttl_seconds must be between 0 and 3600."
  }
}

variable "api_key_version" {
  description = "Version of the generated API key. Increase it to generate and store a new key (the value never enters state)."
  type        = number
  default     = 1

  validation {
    condition     = var.api_key_version >= 1 && floor(var.api_key_version) == var.api_key_version
    error_message = "api_key_version must be a whole number of at least 1."
  }
}

variable "secret_recovery_window_in_days" {
  description = "Days Secrets Manager keeps a deleted API key secret recoverable (0 deletes at once)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    error_message = "secret_recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "log_retention_in_days" {
  description = "Retention of every log group of the stack (function logs, API access and execution logs)."
  type        = number
  default     = 90

  validation {
    condition = contains(
      [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
      var.log_retention_in_days,
    )
    error_message = "log_retention_in_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653); 0 (never expire) is not allowed here."
  }
}

variable "execution_logging_level" {
  description = "API Gateway execution logging level for every method: \"ERROR\" logs failures only, \"INFO\" logs each request's execution steps."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["ERROR", "INFO"], var.execution_logging_level)
    error_message = "execution_logging_level must be \"ERROR\" or \"INFO\"."
  }
}

variable "tags" {
  description = "Tags applied to every resource through the provider's default_tags."
  type        = map(string)
  default = {
    project = "gateaudit"
    stack   = "reference"
  }
}
