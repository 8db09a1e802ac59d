# Credentials known by their shape, under names that say nothing secret: one function per shape.

# A bearer JWT, with a short payload and signature.
# expect: failed aws_lambda_function.bearer_jwt
resource "aws_lambda_function" "bearer_jwt" {
  function_name = "fitness-bearer-jwt"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      UPSTREAM_HEADER = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmaXRuZXNzIn0.c2lnbmF0dXJl"
    }
  }
}

# An unsigned JWT (alg none): still accepted by a careless verifier.
# expect: failed aws_lambda_function.bare_jwt
resource "aws_lambda_function" "bare_jwt" {
  function_name = "fitness-bare-jwt"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      SESSION = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJmaXRuZXNzIn0."
    }
  }
}

# An opaque bearer token.
# expect: failed aws_lambda_function.bearer_opaque
resource "aws_lambda_function" "bearer_opaque" {
  function_name = "fitness-bearer-opaque"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      UPSTREAM_HEADER = "Bearer 7f3e9a1c5b2d8e4f6a0c"
    }
  }
}

# HTTP basic credentials: base64 of reports:Tr0ub4dor-and-3.
# expect: failed aws_lambda_function.basic
resource "aws_lambda_function" "basic" {
  function_name = "fitness-basic"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      UPSTREAM_HEADER = "Basic cmVwb3J0czpUcjB1YjRkb3ItYW5kLTM="
    }
  }
}

# A Stripe live secret key.
# expect: failed aws_lambda_function.stripe_live
resource "aws_lambda_function" "stripe_live" {
  function_name = "fitness-stripe-live"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      PAYMENTS = "sk_live_51H8qRtLkM2nB7vXc9ZaYw3Df"
    }
  }
}

# A Stripe test secret key: a secret of the test account.
# expect: failed aws_lambda_function.stripe_test
resource "aws_lambda_function" "stripe_test" {
  function_name = "fitness-stripe-test"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      PAYMENTS = "sk_test_51H8qRtLkM2nB7vXc9ZaYw3Df"
    }
  }
}

# A GitHub personal access token.
# expect: failed aws_lambda_function.github
resource "aws_lambda_function" "github" {
  function_name = "fitness-github"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      CHECKOUT = "ghp_R2d4C6b8A0z1Y3x5W7v9U1t3S5r7Q9p1O3n5"
    }
  }
}

# A Slack bot token.
# expect: failed aws_lambda_function.slack
resource "aws_lambda_function" "slack" {
  function_name = "fitness-slack"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      NOTIFY = "xoxb-2837465019-5647382910-Zk8Qw3Lm9Rt2Vb7Nc4Xy"
    }
  }
}

# A GitLab personal access token.
# expect: failed aws_lambda_function.gitlab
resource "aws_lambda_function" "gitlab" {
  function_name = "fitness-gitlab"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      MIRROR = "glpat-Zk8Qw3Lm9Rt2Vb7Nc4Xy"
    }
  }
}

# A Google API key.
# expect: failed aws_lambda_function.google
resource "aws_lambda_function" "google" {
  function_name = "fitness-google"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      MAPS = "AIzaSyD3kQ9wL2mR7tV5bN8cX1zY4aF6hJ0pE2s"
    }
  }
}

# A SendGrid API key.
# expect: failed aws_lambda_function.sendgrid
resource "aws_lambda_function" "sendgrid" {
  function_name = "fitness-sendgrid"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      MAILER = "SG.Zk8Qw3Lm9Rt2Vb7Nc4Xy.Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv3Wx5Yz7"
    }
  }
}

# An npm token.
# expect: failed aws_lambda_function.npm
resource "aws_lambda_function" "npm" {
  function_name = "fitness-npm"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      REGISTRY = "npm_Zk8Qw3Lm9Rt2Vb7Nc4XyAb3Cd5Ef7Gh9Ij1K"
    }
  }
}

# A PGP private key block.
# expect: failed aws_lambda_function.pgp
resource "aws_lambda_function" "pgp" {
  function_name = "fitness-pgp"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      SIGNING = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGN0ZXN0AQgA\n-----END PGP PRIVATE KEY BLOCK-----"
    }
  }
}

# A Slack incoming webhook: the URL is the credential.
# expect: failed aws_lambda_function.slack_webhook
resource "aws_lambda_function" "slack_webhook" {
  function_name = "fitness-slack-webhook"
  role          = "arn:aws:iam::123456789012:role/fitness"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fitness.zip"

  environment {
    variables = {
      ALERTS = "https://hooks.slack.com/services/T01234567/B0123456789/Zk8Qw3Lm9Rt2Vb7Nc4XyAb3C"
    }
  }
}
