
  
# nothing here
/* nor here */
