"""The bare Django project the signup benchmark compares /signup/ with: one view that INSERTs one
row from a small POST and answers 302, on the same server, database server and settings style."""
