"""The bundled demo: a replica of a district 财政预决算 column built from real material, served
on 127.0.0.1 for the crawler to walk (`budgets demo`, and the crawler's tests)."""
