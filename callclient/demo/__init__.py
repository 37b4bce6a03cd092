"""Demo mode: local stand-ins for the services CallClient talks to, with sample data."""
