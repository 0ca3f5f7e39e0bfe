"""Small drawing widgets and delegates."""
