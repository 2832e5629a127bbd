"""Indonesian dates as the site writes them: "20 Des 2026", "20 Des 2026 14:30" (no "Des.")."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
