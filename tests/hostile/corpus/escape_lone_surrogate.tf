locals {
  x = "a\ud800"
}
