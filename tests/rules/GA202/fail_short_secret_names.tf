# Short and run-together names that call their value a credential: each literal fails.
# expect: failed aws_lambda_function.creds
resource "aws_lambda_function" "creds" {
  function_name = "fitness-creds"
  role          = "arn:aws:iam::123456789012:role/fitness-creds"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "creds.zip"

  environment {
    variables = {
      CREDS = "reports:Tr0ub4dor-and-3"
    }
  }
}

# expect: failed aws_lambda_function.pwd
resource "aws_lambda_function" "pwd" {
  function_name = "fitness-pwd"
  role          = "arn:aws:iam::123456789012:role/fitness-pwd"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "pwd.zip"

  environment {
    variables = {
      PWD = "hunter2"
    }
  }
}

# expect: failed aws_lambda_function.passwd
resource "aws_lambda_function" "passwd" {
  function_name = "fitness-passwd"
  role          = "arn:aws:iam::123456789012:role/fitness-passwd"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "passwd.zip"

  environment {
    variables = {
      SMTP_PASSWD = "mail-relay-2024"
    }
  }
}

# AUTH with a value that is no mode name (it has digits): a credential.
# expect: failed aws_lambda_function.auth
resource "aws_lambda_function" "auth" {
  function_name = "fitness-auth"
  role          = "arn:aws:iam::123456789012:role/fitness-auth"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "auth.zip"

  environment {
    variables = {
      AUTH = "partner:s3cr3t-2024"
    }
  }
}

# expect: failed aws_lambda_function.db_pass
resource "aws_lambda_function" "db_pass" {
  function_name = "fitness-db-pass"
  role          = "arn:aws:iam::123456789012:role/fitness-db-pass"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "db-pass.zip"

  environment {
    variables = {
      DB_PASS = "reports-db-2024"
    }
  }
}

# expect: failed aws_lambda_function.db_pw
resource "aws_lambda_function" "db_pw" {
  function_name = "fitness-db-pw"
  role          = "arn:aws:iam::123456789012:role/fitness-db-pw"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "db-pw.zip"

  environment {
    variables = {
      DB_PW = "reports-db-2024"
    }
  }
}

# One word, no separator: DBPASSWORD.
# expect: failed aws_lambda_function.dbpassword
resource "aws_lambda_function" "dbpassword" {
  function_name = "fitness-dbpassword"
  role          = "arn:aws:iam::123456789012:role/fitness-dbpassword"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "dbpassword.zip"

  environment {
    variables = {
      DBPASSWORD = "reports-db-2024"
    }
  }
}
