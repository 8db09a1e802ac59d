locals {
  x = "a\qb"
}
