locals {
  x = <<EOT
hello
EOF
}
