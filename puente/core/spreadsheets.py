"""What every download meant for a spreadsheet (CSV, XLSX) does to the text it holds."""

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Keep a spreadsheet from reading user text as a formula: quote a risky first character."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
