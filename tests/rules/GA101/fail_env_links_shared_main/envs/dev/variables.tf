variable "stage" {
  type    = string
  default = "dev"
}
