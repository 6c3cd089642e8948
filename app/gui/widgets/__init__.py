"""Small reusable widgets: step sidebar, template highlighter, rate chart."""
