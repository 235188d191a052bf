// Placeholder: its owner replaces it.
