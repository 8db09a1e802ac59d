bucket = "x"
