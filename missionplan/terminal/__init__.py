"""What every command shares on the terminal: the options declared once, and the output."""
