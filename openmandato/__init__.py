"""OpenMandato: a municipality's mandate program and how far each promise has got."""
