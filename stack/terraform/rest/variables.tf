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
  default     = "gateaudit-rest"

  validation {
    # Leaves room for the longest suffix ("-apigw-cloudwatch") inside IAM's 64-character role name limit.
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "stage_name" {
  description = "Name of the API Gateway stage (the first path segment of the invoke URL)."
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
  description = "Path to the authorizer deployment zip (handler.py at the zip root). Null means stack/build/authorizer.zip, which `make package` builds."
  type        = string
  default     = null
}

variable "backend_package" {
  description = "Path to the backend deployment zip (handler.py at the zip root). Null means stack/build/backend.zip, which `make package` builds."
  type        = string
  default     = null
}

variable "authorizer_cache_ttl_seconds" {
  description = "How long API Gateway caches an authorizer decision per x-api-key value (0 disables caching)."
  type        = number
  default     = 300

  validation {
    condition     = var.authorizer_cache_ttl_seconds >= 0 && var.authorizer_cache_ttl_seconds <= 3600 && floor(var.authorizer_cache_ttl_seconds) == var.authorizer_cache_ttl_seconds
    error_message = "authorizer_cache_ttl_seconds must be a whole number between 0 and 3600."
  }
}

variable "secret_cache_ttl_seconds" {
  description = "How long a warm authorizer keeps the keys it read from Secrets Manager (0 reads them on every call)."
  type        = number
  default     = 300

  validation {
    condition     = var.secret_cache_ttl_seconds >= 0 && var.secret_cache_ttl_seconds <= 3600 && floor(var.secret_cache_ttl_seconds) == var.secret_cache_ttl_seconds
    error_message = "secret_cache_ttl_seconds must be a whole number between 0 and 3600."
  }
}

variable "secret_refresh_min_interval_seconds" {
  description = "After a key matches nothing, a warm authorizer re-reads the secret (it may have been rotated) only if its last read is at least this old."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_refresh_min_interval_seconds >= 0 && var.secret_refresh_min_interval_seconds <= 3600 && floor(var.secret_refresh_min_interval_seconds) == var.secret_refresh_min_interval_seconds
    error_message = "secret_refresh_min_interval_seconds must be a whole number between 0 and 3600."
  }
}

variable "api_key_version" {
  description = "Version of the generated API key. Increase it to generate and store a new key (AWSCURRENT); the previous one stays valid as AWSPREVIOUS. The value never enters plan or state."
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

variable "secret_kms_key_arn" {
  description = "ARN of a customer managed KMS key for the API key secret; null uses the AWS managed key aws/secretsmanager."
  type        = string
  default     = null

  validation {
    condition     = var.secret_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.secret_kms_key_arn))
    error_message = "secret_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
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
    error_message = "log_retention_in_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); 0 (never expire) is not allowed."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of a KMS key encrypting every log group of the stack; null uses CloudWatch Logs' own encryption. The key policy must let logs.REGION.amazonaws.com use it."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
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

variable "throttling_rate_limit" {
  description = "Steady-state requests per second allowed on every method of the stage."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be greater than 0."
  }
}

variable "throttling_burst_limit" {
  description = "Burst of requests allowed on every method of the stage."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_burst_limit > 0 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number greater than 0."
  }
}

variable "manage_api_gateway_account" {
  description = "Whether this stack sets the region's API Gateway CloudWatch Logs role (aws_api_gateway_account, one per account and region). Set false when another stack already manages it."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags applied to every resource through the provider's default_tags."
  type        = map(string)
  default = {
    project = "gateaudit"
    stack   = "reference-rest"
  }
}
