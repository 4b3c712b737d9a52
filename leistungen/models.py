"""Models follow with their issue."""
