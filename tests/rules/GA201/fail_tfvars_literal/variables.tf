variable "api_key" {
  type      = string
  sensitive = true
}
