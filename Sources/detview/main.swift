print("detview: under construction")
