locals {
  x = "a\uZZZZ"
}
