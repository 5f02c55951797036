"""The school calendar: holidays, terms, school days and quiet hours that check-ins and rounds respect."""
