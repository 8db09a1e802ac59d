locals {
  x = "a\UFFFFFFFF"
}
