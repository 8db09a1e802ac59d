variable "name" {
  description = "Name of the authorizer function; also the name of its IAM role and, after /aws/lambda/, of its log group."
  type        = string

  validation {
    # Lambda function names and IAM role names both stop at 64 characters.
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}[a-z0-9]$", var.name))
    error_message = "name must be 3-64 characters of lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "secret_name" {
  description = "Name of the Secrets Manager secret that holds the API key, e.g. \"my-api/api-key\"."
  type        = string

  validation {
    # Secrets Manager appends "-" and six random characters to form the ARN; a name ending
    # in a hyphen and six characters would be ambiguous when referred to by name.
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", var.secret_name)) && !can(regex("-[A-Za-z0-9]{6}$", var.secret_name))
    error_message = "secret_name must be 1-512 characters among letters, digits and /_+=.@- and must not end with a hyphen followed by six characters."
  }
}

variable "description" {
  description = "Description of the authorizer function."
  type        = string
  default     = "Lambda authorizer: compares the x-api-key header with the keys in Secrets Manager (current and previous)."

  validation {
    condition     = length(var.description) <= 256
    error_message = "description must be at most 256 characters (Lambda's limit)."
  }
}

variable "package_path" {
  description = "Path to the deployment zip of stack/authorizer (handler.py at the zip root), as built by `make package`."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip")
    error_message = "package_path must name a .zip file."
  }
}

variable "handler" {
  description = "Entry point of the function inside the zip (module.function); null (default) follows response_format: \"rest\" handler.rest_handler, \"http\" handler.http_handler, \"auto\" handler.handler."
  type        = string
  default     = null

  validation {
    condition     = var.handler == null || can(regex("^[A-Za-z_][A-Za-z0-9_.]*\\.[A-Za-z_][A-Za-z0-9_]*$", var.handler))
    error_message = "handler must look like \"module.function\", e.g. \"handler.handler\"."
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
  description = "Function timeout in seconds. A key check takes well under a second once the keys are cached; a short timeout fails closed quickly."
  type        = number
  default     = 5

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 10 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number between 1 and 10."
  }
}

variable "memory_size_mb" {
  description = "Memory of the function in MB."
  type        = number
  default     = 128

  validation {
    condition     = var.memory_size_mb >= 128 && var.memory_size_mb <= 10240 && floor(var.memory_size_mb) == var.memory_size_mb
    error_message = "memory_size_mb must be a whole number between 128 and 10240."
  }
}

variable "secret_cache_ttl_seconds" {
  description = "How long a warm authorizer keeps the keys it read from Secrets Manager (SECRET_CACHE_TTL_SECONDS; 0 reads them on every call)."
  type        = number
  default     = 300

  validation {
    condition     = var.secret_cache_ttl_seconds >= 0 && var.secret_cache_ttl_seconds <= 3600 && floor(var.secret_cache_ttl_seconds) == var.secret_cache_ttl_seconds
    error_message = "secret_cache_ttl_seconds must be a whole number between 0 and 3600."
  }
}

variable "secret_refresh_min_interval_seconds" {
  description = "After a key matches nothing, the authorizer re-reads the secret (a rotation may have happened) only if its last read is at least this old (SECRET_REFRESH_MIN_INTERVAL_SECONDS)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_refresh_min_interval_seconds >= 0 && var.secret_refresh_min_interval_seconds <= 3600 && floor(var.secret_refresh_min_interval_seconds) == var.secret_refresh_min_interval_seconds
    error_message = "secret_refresh_min_interval_seconds must be a whole number between 0 and 3600."
  }
}

variable "response_format" {
  description = "Answer the authorizer gives: \"rest\" an IAM policy (REST API REQUEST authorizer; entry point handler.rest_handler), \"http\" a simple {\"isAuthorized\": ...} (HTTP API, payload 2.0, simple responses; handler.http_handler), \"auto\" decided from each event (handler.handler). Also set as RESPONSE_FORMAT, which only handler.handler reads."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "rest", "http"], var.response_format)
    error_message = "response_format must be \"auto\", \"rest\" or \"http\"."
  }
}

variable "api_key_version" {
  description = "Version of the generated API key. Increase it to generate a new key: it becomes AWSCURRENT, the one before stays AWSPREVIOUS. The value never enters plan or state."
  type        = number
  default     = 1

  validation {
    condition     = var.api_key_version >= 1 && floor(var.api_key_version) == var.api_key_version
    error_message = "api_key_version must be a whole number of at least 1."
  }
}

variable "api_key_length" {
  description = "Length of the generated API key (letters and digits)."
  type        = number
  default     = 40

  validation {
    condition     = var.api_key_length >= 32 && var.api_key_length <= 4096 && floor(var.api_key_length) == var.api_key_length
    error_message = "api_key_length must be a whole number between 32 and 4096."
  }
}

variable "secret_recovery_window_in_days" {
  description = "Days Secrets Manager keeps the deleted secret recoverable (0 deletes it at once)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    error_message = "secret_recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "secret_kms_key_arn" {
  description = "ARN of a customer managed KMS key encrypting the secret; null uses the AWS managed key aws/secretsmanager. When set, the function's role may kms:Decrypt with this key through Secrets Manager only."
  type        = string
  default     = null

  validation {
    condition     = var.secret_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.secret_kms_key_arn))
    error_message = "secret_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); aliases cannot be granted in IAM."
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
