# sensitive = true hides the value from output, not from the repository.
# expect: failed var.api_key
variable "api_key" {
  type      = string
  sensitive = true
  default   = "fitness-4f1c9a7e2b8d6035"
}
