"""The logic of the book's publishing system; hooks/ and scripts/ are its adapters."""
