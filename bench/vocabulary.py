"""Word lists for the synthetic benchmark corpus: invented payers, services, conditions and prose.

Everything here is made up for load testing; none of it is policy text or a code
descriptor table. Code *numbers* follow the public shapes of CPT, HCPCS Level II and
ICD-10-CM (ICD-10-CM numbers are drawn from the public FY2026 code list at run time).
"""

from __future__ import annotations

# Invented health plans, grouped by the document layout they publish in.
PAYERS_BY_LAYOUT: dict[str, tuple[str, ...]] = {
    "bcbsa": (
        "Cedar Hollow Health Plan",
        "Tallgrass Blue Health Plan",
        "Juniper Bay Health Plan",
        "Quillfeather Health Plan",
        "Redstone Prairie Health Plan",
    ),
    "aetna_cpb": ("Marigold Care Plan", "Ironwood Mutual Health", "Starling Benefits Plan"),
    "cigna": ("Copperleaf Health", "Silverpine Health Alliance", "Harbor Lantern Health"),
    "uhc": ("Northwind Health Plan", "Brightwater Community Health Plan", "Granite Peak Health"),
    "lcd": ("Meridian Plains Medicare Services", "Coastal Range Medicare Solutions"),
    "article": ("Meridian Plains Medicare Services", "Coastal Range Medicare Solutions"),
}

LAYOUT_WEIGHTS: dict[str, float] = {
    "bcbsa": 0.28,
    "aetna_cpb": 0.15,
    "cigna": 0.15,
    "uhc": 0.15,
    "lcd": 0.12,
    "article": 0.15,
}

# Service families: (name, kind). The kind picks the code blocks a family draws from.
PROCEDURES: tuple[tuple[str, str], ...] = (
    ("Gene Expression Profiling", "lab"),
    ("Multigene Panel Testing", "lab"),
    ("Circulating Tumor DNA Analysis", "lab"),
    ("Biomarker Immunoassay", "lab"),
    ("Pharmacogenomic Testing", "lab"),
    ("Cytokine Release Testing", "lab"),
    ("Microbiome Sequencing", "lab"),
    ("Radiofrequency Ablation", "surgery"),
    ("Cryoablation", "surgery"),
    ("Endoscopic Decompression", "surgery"),
    ("Minimally Invasive Fusion", "surgery"),
    ("Balloon Dilation", "surgery"),
    ("Laser Resurfacing", "surgery"),
    ("Nerve Stimulator Implantation", "surgery"),
    ("Tissue Grafting", "surgery"),
    ("Functional Imaging", "radiology"),
    ("Quantitative Elastography", "radiology"),
    ("Low-Dose Tomography Screening", "radiology"),
    ("Contrast-Enhanced Ultrasound", "radiology"),
    ("Molecular Imaging", "radiology"),
    ("Magnetic Stimulation Therapy", "medicine"),
    ("Hyperbaric Oxygen Therapy", "medicine"),
    ("Remote Physiologic Monitoring", "medicine"),
    ("Biofeedback Training", "medicine"),
    ("Vestibular Rehabilitation", "medicine"),
    ("Photodynamic Therapy", "medicine"),
    ("Monoclonal Antibody Infusion", "drug"),
    ("Cellular Immunotherapy", "drug"),
    ("Enzyme Replacement Infusion", "drug"),
    ("Intravitreal Injection Therapy", "drug"),
    ("Continuous Glucose Monitoring Devices", "dme"),
    ("Powered Mobility Devices", "dme"),
    ("Custom Orthotic Devices", "dme"),
    ("Home Ventilation Equipment", "dme"),
    ("Wearable Defibrillators", "dme"),
)

QUALIFIERS: tuple[str, ...] = (
    "",
    "Outpatient",
    "Percutaneous",
    "Image-Guided",
    "Automated",
    "Home-Based",
    "Targeted",
    "Adjunctive",
)

CONDITIONS: tuple[str, ...] = (
    "Chronic Low Back Pain",
    "Refractory Migraine",
    "Hepatocellular Carcinoma",
    "Plaque Psoriasis",
    "Obstructive Sleep Apnea",
    "Treatment-Resistant Depression",
    "Peripheral Artery Disease",
    "Diabetic Macular Edema",
    "Rheumatoid Arthritis",
    "Chronic Kidney Disease",
    "Heart Failure",
    "Non-Small Cell Lung Cancer",
    "Multiple Sclerosis",
    "Osteoarthritis of the Knee",
    "Lymphedema",
    "Hereditary Cardiomyopathy",
    "Interstitial Lung Disease",
    "Ulcerative Colitis",
    "Essential Tremor",
    "Chronic Wounds",
    "Acute Myeloid Leukemia",
    "Spinal Stenosis",
    "Recurrent Pregnancy Loss",
    "Gastroparesis",
    "Glaucoma",
    "Atrial Fibrillation",
    "Cystic Fibrosis",
    "Pancreatic Cancer",
    "Fibromyalgia",
    "Hearing Loss",
    "Macular Degeneration",
    "Neuropathic Pain",
    "Morbid Obesity",
    "Sickle Cell Disease",
    "Melanoma",
    "Epilepsy",
    "Asthma",
    "Crohn Disease",
    "Prostate Cancer",
    "Scoliosis",
)

# Made-up lay descriptions for code tables (never official descriptors).
DESCRIPTION_VERBS: dict[str, tuple[str, ...]] = {
    "lab": ("analysis", "panel", "assay", "quantitation", "sequence analysis", "detection"),
    "surgery": ("repair", "excision", "insertion", "destruction", "revision", "removal"),
    "radiology": ("imaging", "scan", "study", "guidance", "measurement", "mapping"),
    "medicine": ("session", "treatment", "assessment", "monitoring", "training", "management"),
    "drug": ("injection", "infusion", "administration", "dose", "preparation", "supply"),
    "dme": ("device", "supply", "replacement part", "rental", "accessory", "fitting"),
}
DESCRIPTION_OBJECTS: tuple[str, ...] = (
    "of tissue specimen",
    "with interpretation and report",
    "each additional unit",
    "first hour",
    "per session",
    "unilateral",
    "bilateral",
    "including guidance",
    "with device programming",
    "up to 15 minutes",
    "complex",
    "simple",
    "per 10 mg",
    "per month",
    "including all supplies",
    "single level",
    "each additional level",
    "without contrast",
    "with contrast",
    "initial",
)
ICD_QUALIFIERS: tuple[str, ...] = (
    "unspecified",
    "left side",
    "right side",
    "bilateral",
    "initial encounter",
    "subsequent encounter",
    "with complication",
    "without complication",
    "in remission",
    "not in remission",
    "mild",
    "severe",
)

POPULATIONS: tuple[str, ...] = (
    "adults",
    "children and adolescents",
    "members aged 18 years and older",
    "individuals with a confirmed diagnosis",
    "members who have failed conservative therapy",
    "pregnant individuals",
    "older adults",
)
CRITERIA: tuple[str, ...] = (
    "The diagnosis has been confirmed by a board-certified specialist",
    "Symptoms have persisted for at least {n} months despite conservative management",
    "The member has tried and failed at least {k} first-line treatments",
    "Baseline functional scores are documented in the medical record",
    "No contraindication to the procedure is present",
    "The service is ordered by a treating physician with expertise in the condition",
    "Imaging within the past {n} months supports the diagnosis",
    "The member is not a candidate for surgical intervention",
    "A treatment plan with measurable goals is documented",
    "Laboratory values are within the ranges stated in the product label",
    "The member agrees to follow-up assessment at {n} weeks",
    "Results will directly change clinical management",
)
EXCLUSION_EXAMPLES: tuple[str, ...] = (
    "screening of asymptomatic individuals",
    "use as a stand-alone diagnostic test",
    "cosmetic indications",
    "maintenance therapy beyond {n} sessions",
    "all other indications",
    "use in combination with other devices",
    "home use without supervision",
    "repeat testing within {n} months",
)

# Prose for the long narrative sections; {placeholders} are filled with invented values.
SENTENCES: tuple[str, ...] = (
    "{Service} has been studied in {design} involving {count} patients with {condition}.",
    "In {design} published in {year}, {pct}% of participants reported improvement at {n} months.",
    "The comparison group received {alternative}, and outcomes were assessed at {n} and {m} weeks.",
    "Loss to follow-up was {pct}%, which limits confidence in the reported effect.",
    "Investigators from {place} enrolled {count} members between {year} and {year2}.",
    "The primary outcome was {outcome}, measured on a validated {scale}.",
    "Secondary outcomes included {outcome} and {outcome2}.",
    "No statistically significant difference was observed for {outcome} (p={pval}).",
    "A systematic review of {n} trials concluded that the evidence was of {quality} certainty.",
    "Adverse events occurred in {pct}% of treated participants, most commonly {adverse}.",
    "Professional society guidance published in {year} describes {service} as an option for selected "
    "patients.",
    "Long-term durability beyond {n} years has not been established.",
    "The studies differed in patient selection, dosing and the definition of response.",
    "Most trials were small, single-center and lacked blinding of outcome assessors.",
    "Registry data covering {count} procedures showed a {pct}% rate of repeat intervention.",
    "{Service} is typically delivered over {n} sessions lasting about {m} minutes each.",
    "Health-related quality of life improved by {n} points on average, below the minimal important "
    "difference.",
    "Cost-effectiveness analyses reported wide ranges that depended on assumed durability.",
    "Eligibility usually requires documentation of {condition} and failure of {alternative}.",
    "The device received marketing clearance in {year} based on equivalence to earlier devices.",
)
# Sentences carrying numbers that look like codes (phone numbers, ZIP codes); used now and then.
DISTRACTOR_SENTENCES: tuple[str, ...] = (
    "Contact the utilization management department at 1-800-555-{phone} with questions about this policy.",
    "Correspondence may be sent to {street}, {town} {zip}.",
    "The trial is registered as NCT0{nct} and enrolled participants at {place}.",
    "See page {n} of the {year} provider manual, section {n}.{m}, for billing instructions.",
)
DESIGNS: tuple[str, ...] = (
    "a randomized controlled trial",
    "a prospective cohort study",
    "a retrospective case series",
    "a multicenter registry",
    "a crossover trial",
    "a pragmatic trial",
    "a single-arm study",
)
OUTCOMES: tuple[str, ...] = (
    "pain intensity",
    "functional status",
    "overall survival",
    "progression-free survival",
    "hospital admissions",
    "return to work",
    "symptom-free days",
    "visual acuity",
    "exercise capacity",
    "medication use",
)
SCALES: tuple[str, ...] = (
    "visual analog scale",
    "disability index",
    "symptom inventory",
    "quality of life index",
)
QUALITY: tuple[str, ...] = ("low", "very low", "moderate")
ADVERSE: tuple[str, ...] = (
    "transient discomfort",
    "headache",
    "local swelling",
    "fatigue",
    "nausea",
    "skin irritation",
)
ALTERNATIVES: tuple[str, ...] = (
    "usual care",
    "physical therapy",
    "oral medication",
    "sham treatment",
    "watchful waiting",
    "standard surgery",
)
PLACES: tuple[str, ...] = (
    "three academic centers",
    "a regional health network",
    "twelve community hospitals",
    "a national registry",
    "two specialty clinics",
)
STREETS: tuple[str, ...] = (
    "400 Lantern Way",
    "18 Orchard Court",
    "2200 Meridian Avenue",
    "75 Foundry Street",
)
TOWNS: tuple[tuple[str, str], ...] = (
    ("Fairhaven", "OR"),
    ("Millbrook", "KS"),
    ("Stonebridge", "PA"),
    ("Lakeview", "MN"),
    ("Riverton", "GA"),
)

SURNAMES: tuple[str, ...] = (
    "Abernathy",
    "Bellweather",
    "Castellano",
    "Dunmore",
    "Eskildsen",
    "Farrow",
    "Galloway",
    "Hartigan",
    "Ingleby",
    "Jaramillo",
    "Kowalczyk",
    "Lindqvist",
    "Moreau",
    "Nakashima",
    "Okonkwo",
    "Petrakis",
    "Quaresma",
    "Rasmussen",
    "Sandoval",
    "Thibodeaux",
    "Uchida",
    "Vasquez",
    "Whitlock",
    "Yilmaz",
    "Zelenko",
)
JOURNALS: tuple[str, ...] = (
    "Journal of Applied Clinical Research",
    "Annals of Practice Evidence",
    "Clinical Outcomes Quarterly",
    "Review of Therapeutic Methods",
    "International Journal of Care Delivery",
    "Health Technology Reports",
)
HISTORY_ACTIONS: tuple[str, ...] = (
    "Annual review; no change to policy statements",
    "Policy reviewed; references updated",
    "Clarified documentation requirements",
    "Coding section updated for the new code year",
    "Minor editorial changes; intent unchanged",
    "Evidence review updated; policy statements unchanged",
)
