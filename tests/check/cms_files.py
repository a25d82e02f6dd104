"""Small claim edit files in the layouts CMS publishes (the edits themselves are made up for the tests).

The PTP text file is tab-separated, has a copyright line and a title above the header,
and spreads its header over four rows, as CMS's practitioner files do. Dates are
YYYYMMDD; "*" in the deletion column means the edit is in force.
"""

from __future__ import annotations

PTP_TXT = "\n".join(
    [
        "CPT codes and descriptions only are copyright American Medical Association. Test file.",
        "",
        "Column1/Column 2 Edits",
        "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale",
        "\t\tprior to 1996\tDate\tDate\t0=not allowed\t",
        "\t\t\t\t*=no data\t1=allowed\t",
        "\t\t\t\t\t9=not applicable\t",
        "99213\t90686\t\t20200101\t*\t1\tStandards of medical / surgical practice",
        "99213\t82306\t*\t19960101\t*\t0\tMutually exclusive procedures",
        "99213\t17380\t\t20150101\t20240101\t1\tDeleted edit",
        "99213\t86357\t\t20200101\t*\t9\tNot applicable",
        "",
    ]
)

PTP_CSV = "\n".join(
    [
        '"CPT only copyright American Medical Association. All rights reserved."',
        "Column 1,Column 2,*=in existence prior to 1996,Effective Date,Deletion Date *=no data,"
        "Modifier 0=not allowed 1=allowed 9=not applicable,PTP Edit Rationale",
        "99213,90686,,20200101,*,1,Standards of medical / surgical practice",
        "99213,82306,*,19960101,*,0,Mutually exclusive procedures",
        "",
    ]
)

MUE_CSV = "\n".join(
    [
        '"CPT codes, descriptions and other data only are copyright American Medical Association."',
        "Medically Unlikely Edits, Practitioner Services, test file",
        "",
        "HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale",
        "90686,1,2 Date of Service Edit: Policy,Code Descriptor / CPT Instruction",
        "82306,1,1 Line Edit,Clinical: Data",
        "86357,1,3 Date of Service Edit: Clinical,Nature of Service/Procedure",
        "",
    ]
)

MUE_HOSPITAL_TXT = "\n".join(
    [
        "Medically Unlikely Edits, Outpatient Hospital Services, test file",
        "HCPCS/CPT Code\tOutpatient Hospital Services MUE Values\tMUE Adjudication Indicator\tMUE Rationale",
        "90686\t3\t3 Date of Service Edit: Clinical\tClinical: Data",
        "",
    ]
)
