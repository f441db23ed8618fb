"""The logic of the book's publishing system; hooks/ and its commands are its adapters."""
