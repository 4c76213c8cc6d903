"""Where each Somerset indicator's figure comes from: the catalogue's Source column (Appendix C)."""

from __future__ import annotations

# The usual source of a service's figures, by ref prefix.
BY_SERVICE = {
    "ASC": "Adult social care case management system",
    "CS": "Children's social care case management system",
    "PH": "Records of the public health services the council commissions",
    "HOU": "Housing options and housing management systems",
    "PLN": "Planning applications system",
    "WST": "Waste collection contractor's monthly data",
    "HWY": "Highways asset management system",
    "LIB": "Library management system",
    "REV": "Council tax and benefits system",
    "CUS": "Telephony and customer case management systems",
    "HR": "HR and payroll system",
    "FIN": "Financial ledger and budget monitoring",
}
# Figures from a national return, survey or publication.
BY_REF = {
    "ASC-07": "Survey of Adult Carers in England",
    "ASC-12": "Care Quality Commission ratings data",
    "ASC-14": "Adult Social Care Survey",
    "CS-12": "DfE SEN2 return",
    "CS-13": "DfE SEN2 return",
    "CS-14": "DfE participation data for 16 and 17 year olds",
    "CS-15": "School admissions system, national offer day",
    "CS-16": "School admissions system, national offer day",
    "CS-17": "Ofsted inspection outcomes",
    "CS-18": "School census",
    "PH-08": "Office for National Statistics conception statistics",
    "HOU-04": "Autumn rough sleeping count",
    "HOU-08": "Stock condition survey",
    "WST-01": "WasteDataFlow return to Defra",
    "WST-03": "WasteDataFlow return to Defra",
    "HWY-07": "Annual road condition survey",
    "HWY-08": "Annual road condition survey",
    "HWY-09": "Police collision records",
    "REV-02": "Business rates system",
    "CUS-07": "Local Government and Social Care Ombudsman annual review",
}


def source_of(ref: str) -> str:
    """The catalogue's Source for ``ref``: its own, else its service's."""
    return BY_REF.get(ref) or BY_SERVICE[ref.split("-")[0]]
