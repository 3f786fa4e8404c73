"""Historical calibration and validation against the record."""
