"""The Somerset example's indicators: catalogue rows, the RAG each quarter should show, and the story.

Each indicator's ``plan`` lists, for the five quarters in PERIODS, the RAG its figure must earn
(G, A, R; N = "Not available"; M = missing from the return; "." = not due; "-" = not rated).
generate.py picks figures inside those bands and then re-rates them with the issue-3 rules to prove
it, so the plan is the single place to change the shape of the example paper.
"""

from __future__ import annotations

from dataclasses import dataclass

PERIODS = ("Q2-2023", "Q3-2023", "Q4-2023", "Q1-2024", "Q2-2024")

SERVICES = {
    # prefix: (service, directorate, lead officer)
    "ASC": ("Adult Social Care", "Adult Services", "Director of Adult Social Care"),
    "CS": ("Children's Services", "Children, Families and Education",
            "Director of Children's Services"),
    "PH": ("Public Health", "Public Health", "Director of Public Health"),
    "HOU": ("Housing", "Community Services", "Service Director – Housing"),
    "PLN": ("Planning", "Climate and Place", "Service Director – Planning and Development"),
    "WST": ("Waste and Recycling", "Climate and Place", "Head of Waste Services"),
    "HWY": ("Highways and Transport", "Climate and Place",
            "Service Director – Infrastructure and Transport"),
    "LIB": ("Libraries and Culture", "Community Services",
            "Head of Libraries, Culture and Heritage"),
    "REV": ("Revenues and Benefits", "Resources and Corporate Services",
            "Head of Revenues and Benefits"),
    "CUS": ("Customer Services", "Strategy, Workforce and Localities", "Head of Customer Services"),
    "HR": ("HR and Organisational Development", "Strategy, Workforce and Localities",
            "Director of Workforce"),
    "FIN": ("Finance", "Resources and Corporate Services",
            "Executive Director – Resources (S151 Officer)"),
}


@dataclass(frozen=True)
class Spec:
    """One indicator: its catalogue row and what the generator needs to invent its figures."""

    ref: str
    title: str
    priority: str
    unit: str
    decimals: int
    polarity: str
    definition: str
    frequency: str = "quarterly"
    due: str = ""
    rated: str = ""  # "yes", "no" or blank, as the catalogue column
    target: float | None = None  # the default target (catalogue column)
    amber: float | None = None
    targets: tuple[tuple[str, float, float | None], ...] = ()  # Targets sheet: (year, target, amber)
    comparable_from: str = ""
    plan: str = "-----"
    level: float | None = None  # typical figure of a measure that is not rated
    trend: float = 0.0  # drift per quarter, as a fraction of the level
    noise: float = 0.03
    values: tuple[float | None, ...] | None = None  # figures fixed by hand (published data)
    head: float = 0.06  # how far above target (fraction of |target|) a Green figure may go
    depth: tuple[float, float] = (0.02, 0.12)  # how far past the Amber line a Red figure falls
    denominator: tuple[int, int] | None = None  # give numerator/denominator (cases in the quarter)
    good: str = ""
    bad: str = ""
    action: str = ""
    note: str = ""  # commentary for a measure without a RAG

    @property
    def service(self) -> str:
        return SERVICES[self.ref.split("-")[0]][0]


def _s(*args, **kwargs) -> Spec:
    return Spec(*args, **kwargs)


INDICATORS: tuple[Spec, ...] = (
    # ---------------------------------------------------------------- Adult Social Care
    _s("ASC-01", "Number of people waiting for a Care Act assessment", "healthy", "number", 0, "lower",
       "People waiting at the end of the quarter for a Care Act assessment. From Q1 2024/25 this "
       "includes people waiting for a reassessment of their existing care and support.",
       rated="yes", target=450, targets=(("2023/24", 500, None), ("2024/25", 450, None)),
       comparable_from="Q1-2024",
       plan="RRRRR", values=(612, 638, 655, 826, 812),
       good="The waiting list fell as the additional assessment capacity took effect.",
       bad="Demand for assessments continues to exceed the capacity of the locality teams.",
       action="Agency social workers are clearing the longest waits first and every person waiting "
              "has a named contact and a risk review."),
    _s("ASC-02", "Percentage of Care Act assessments completed within 28 days", "healthy", "%", 1,
       "higher", "Assessments completed in the quarter where the assessment was finished within 28 "
       "days of the request, as a percentage of all assessments completed.",
       rated="yes", target=70.0, plan="GAAAR", denominator=(900, 1300),
       good="Timeliness held above target across all four localities.",
       bad="Timeliness dropped as teams prioritised people with the most urgent needs.",
       action="Weekly assessment clinics have been set up in the West and South localities, where "
              "delays are longest."),
    _s("ASC-03", "Proportion of older people (65+) still at home 91 days after discharge from "
       "hospital into reablement services (%)", "healthy", "%", 1, "higher",
       "Older people discharged from hospital into reablement who are still living at home 91 days "
       "later, as a percentage of those discharged into reablement (ASCOF 2B).",
       rated="yes", target=82.0, plan="AGGGG", head=0.05,
       good="The home-first reablement model is keeping more people independent after discharge.",
       bad="A higher share of discharges were people with complex needs who later moved into care.",
       action="Therapists now review every reablement case at day 10."),
    _s("ASC-04", "Permanent admissions to residential and nursing care homes, aged 65+, per "
       "100,000 population", "healthy", "rate", 1, "lower",
       "Council-funded permanent admissions of people aged 65 and over to residential and nursing "
       "care in the last 12 months, per 100,000 population aged 65 and over (ASCOF 2A).",
       rated="yes", target=560.0, plan="RAAAG", depth=(0.02, 0.06),
       good="More people are being supported to stay at home through the extra-care housing offer.",
       bad="Admissions remain above target, driven by hospital discharges into short-term beds "
           "that become permanent.",
       action="A panel now reviews every short-term placement at four weeks."),
    _s("ASC-05", "Permanent admissions to residential and nursing care homes, aged 18-64, per "
       "100,000 population", "healthy", "rate", 1, "lower",
       "Council-funded permanent admissions of people aged 18 to 64 to residential and nursing care "
       "in the last 12 months, per 100,000 population aged 18 to 64 (ASCOF 2A).",
       rated="no", target=14.0, level=14.6, noise=0.04,
       note="Small numbers make this measure volatile; it is monitored rather than rated."),
    _s("ASC-06", "Percentage of adults with a learning disability in paid employment", "healthy", "%",
       1, "higher", "Adults with a learning disability known to the council who are in paid "
                    "employment, as a percentage of all adults with a learning disability "
                    "receiving long-term support (ASCOF 1E).",
       level=4.4, noise=0.04, note="Below the national average; the supported employment service "
                                   "works with 40 people this year."),
    _s("ASC-07", "Carer-reported quality of life score (out of 12)", "healthy", "score", 1, "higher",
       "Average quality of life score reported by unpaid carers in the biennial Survey of Adult "
       "Carers in England (ASCOF 1D), on a scale of 0 to 12.",
       frequency="annual", due="Q4", rated="no", values=(None, None, 7.0, None, None),
       note="From the 2023/24 carers' survey; Somerset scored 7.1 in 2021/22 against a national "
            "median of 7.2. The survey runs every two years, so the measure is monitored, not rated."),
    _s("ASC-08", "Percentage of people receiving long-term support who receive direct payments",
       "healthy", "%", 1, "higher",
       "People receiving long-term community support who take some or all of it as a direct "
       "payment, as a percentage of all people receiving long-term community support (ASCOF 1C).",
       rated="yes", target=28.0, plan="AAAAA",
       good="Take-up of direct payments continues to grow.",
       bad="Take-up is rising slowly but remains below target because of a shortage of personal "
           "assistants in rural areas.",
       action="The micro-provider programme is recruiting personal assistants in West Somerset."),
    _s("ASC-09", "Percentage of people receiving long-term support reviewed in the last 12 months",
       "healthy", "%", 1, "higher",
       "People receiving long-term support for 12 months or more who have had a review in the last "
       "12 months, as a percentage of all such people.",
       rated="no", target=70.0, level=61.0, trend=0.01,
       note="This is the first year of reporting from the new case management system, so the "
            "measure is monitored while a baseline is established."),
    _s("ASC-10", "Percentage of safeguarding enquiries where the risk was reduced or removed",
       "healthy", "%", 1, "higher",
       "Concluded section 42 safeguarding enquiries where a risk was identified and was reduced or "
       "removed, as a percentage of all such enquiries concluded in the quarter.",
       rated="yes", target=90.0, plan="GGGGG", head=0.07, denominator=(280, 360),
       good="Outcomes remain consistently strong and in line with the regional average."),
    _s("ASC-11", "Number of safeguarding concerns received", "healthy", "number", 0, "none",
       "Safeguarding concerns about adults received by the council in the quarter.",
       level=1650, noise=0.06,
       note="Referrals from care providers account for about a third of concerns."),
    _s("ASC-12", "Percentage of CQC-registered adult social care providers in Somerset rated Good or "
       "Outstanding", "healthy", "%", 1, "higher",
       "Adult social care locations in Somerset rated Good or Outstanding by the Care Quality "
       "Commission at the end of the quarter, as a percentage of all rated locations.",
       level=84.2, noise=0.01,
       note="In line with the national picture; the quality team supports the providers rated "
            "Requires Improvement."),
    _s("ASC-13", "Proportion of people who received short-term services where no further request "
       "was made for ongoing support (%)", "healthy", "%", 1, "higher",
       "People who completed a short-term service (such as reablement) in the year whose sequel was "
       "no ongoing support or support of a lower level (ASCOF 2D). Somerset recorded 93.2% in "
       "2022/23 against a national median of 78.2%.",
       frequency="annual", due="Q4", rated="yes", target=90.0, plan="..G..",
       values=(None, None, 92.4, None, None),
       good="Somerset remains well above the national median for this outcome."),
    _s("ASC-14", "Proportion of people who use services who find it easy to find information about "
       "support (%)", "healthy", "%", 1, "higher",
       "Answers to the Adult Social Care Survey: people who use services who found it very or "
       "fairly easy to find information about support (ASCOF 3D). The target is the 2022/23 "
       "national median, 67.5%; Somerset recorded 60.0%.",
       frequency="annual", due="Q4", rated="yes", target=67.5, plan="..R..",
       values=(None, None, 61.2, None, None),
       bad="The survey result improved on 2022/23 but remains well below the national median.",
       action="The new Somerset Care and Support directory launches in the autumn, with printed "
              "guides in every library and GP surgery."),
    _s("ASC-15", "New requests for support resulting in a service, per 100,000 adults", "healthy",
       "rate", 0, "none",
       "New requests for adult social care support in the last 12 months that resulted in a "
       "service, per 100,000 adults. Somerset recorded 1,078 in 2022/23 against a national median "
       "of 1,695.",
       level=1085, trend=0.005, noise=0.015,
       note="Low compared with similar councils because most requests are resolved through "
            "information, advice and community support."),
    _s("ASC-16", "Adult social care workforce turnover rate (%)", "healthy", "%", 1, "none",
       "Staff leaving adult social care employers in Somerset in the year, as a percentage of "
       "staff in post (Skills for Care). Somerset recorded 31.4% in 2022/23 against a national "
       "median of 28.0%.",
       frequency="annual", due="Q4", values=(None, None, 29.8, None, None),
       note="Turnover fell for the second year but remains above the national median."),
    # ---------------------------------------------------------------- Children's Services
    _s("CS-01", "Number of mainstream foster carers", "healthy", "number", 0, "higher",
       "Approved mainstream (not family and friends) foster carer households at the end of the "
       "quarter.", rated="yes", target=210, targets=(("2023/24", 220, None),), plan="RRRRR",
       depth=(0.03, 0.07),
       good="Recruitment outpaced deregistrations this quarter.",
       bad="New approvals are not keeping pace with carers retiring, and competition from "
           "independent fostering agencies remains strong.",
       action="The 'Foster for Somerset' campaign has been relaunched and the fees and allowances "
              "review reports to Cabinet in November."),
    _s("CS-02", "Number of children looked after", "healthy", "number", 0, "none",
       "Children looked after by the council at the end of the quarter.",
       level=575, trend=0.004, noise=0.01,
       note="Numbers are stable; around one in five children are placed with relatives."),
    _s("CS-03", "Rate of children looked after per 10,000 children aged 0-17", "healthy", "rate", 1,
       "none", "Children looked after at the end of the quarter per 10,000 children aged 0 to 17.",
       level=51.2, trend=0.004, noise=0.01,
       note="Below the England rate of 70 per 10,000."),
    _s("CS-04", "Percentage of children looked after placed with in-house foster carers",
       "healthy", "%", 1, "higher",
       "Children looked after who live with the council's own foster carers, as a percentage of all "
       "children looked after.", rated="yes", target=40.0, plan="RRRRA", depth=(0.04, 0.12),
       good="More children are living with Somerset's own foster carers.",
       bad="Too many children are still placed with independent agencies, often outside Somerset.",
       action="Matching meetings now consider in-house carers first for every new placement."),
    _s("CS-05", "Percentage of re-referrals to children's social care within 12 months", "healthy",
       "%", 1, "lower",
       "Referrals in the quarter for children who had a previous referral within the last 12 "
       "months, as a percentage of all referrals.", rated="yes", target=20.0, plan="GGGGA",
       head=0.12,
       good="Re-referrals remain below target, reflecting good quality early help step-down plans.",
       bad="Re-referrals rose slightly, mainly for families with domestic abuse concerns.",
       action="Audit of re-referred cases under way; findings go to the Safeguarding Partnership."),
    _s("CS-06", "Percentage of Child and Family Assessments completed within 45 working days",
       "healthy", "%", 1, "higher",
       "Child and Family Assessments completed in the quarter within 45 working days of the "
       "referral, as a percentage of all assessments completed.",
       rated="yes", target=90.0, plan="AAGAG", head=0.07, denominator=(900, 1200),
       good="Timeliness is back above target following the recruitment of permanent team managers.",
       bad="Timeliness dipped because of vacancies in the Mendip assessment team.",
       action="Cases over 35 days are escalated to the team manager each week."),
    _s("CS-07", "Percentage of children becoming subject to a child protection plan for a second or "
       "subsequent time", "healthy", "%", 1, "lower",
       "Children who became subject to a child protection plan in the quarter who had been on a "
       "plan before, as a percentage of all children who became subject to a plan.",
       rated="yes", target=23.0, plan="GGAGG", head=0.15,
       good="Repeat plans remain below target and below the national average.",
       bad="A small number of large sibling groups returned to plans this quarter.",
       action="Every repeat plan is reviewed by the Child Protection Chair."),
    _s("CS-08", "Number of children subject to a child protection plan", "healthy", "number", 0,
       "none", "Children subject to a child protection plan at the end of the quarter.",
       level=420, noise=0.04, note="Neglect remains the most common category of plan."),
    _s("CS-09", "Percentage of care leavers aged 19-21 in education, employment or training",
       "healthy", "%", 1, "higher",
       "Care leavers aged 19 to 21 in touch with the council who are in education, employment or "
       "training, as a percentage of all care leavers aged 19 to 21.",
       level=54.5, noise=0.03, note="Above the national average of 55% in two of the last four "
                                    "quarters; the care leaver apprenticeship offer continues."),
    _s("CS-10", "Percentage of care leavers aged 19-21 in suitable accommodation", "healthy", "%", 1,
       "higher", "Care leavers aged 19 to 21 in touch with the council whose accommodation is "
                 "judged suitable, as a percentage of all care leavers aged 19 to 21.",
       rated="no", target=90.0, level=90.5, noise=0.015,
       note="Monitored by the Corporate Parenting Board."),
    _s("CS-11", "Average caseload per children's social worker", "healthy", "number", 1, "lower",
       "Open cases held by children's social workers at the end of the quarter divided by the "
       "number of FTE social workers holding cases.",
       rated="no", target=18.0, level=19.4, noise=0.03,
       note="Caseloads are highest in the assessment teams; the workforce strategy aims for 18."),
    _s("CS-12", "Percentage of Education, Health and Care Plans issued within 20 weeks "
       "(excluding exceptions)", "fairer", "%", 1, "higher",
       "New Education, Health and Care Plans issued in the quarter within 20 weeks of the request "
       "for assessment, excluding exceptions, as a percentage of all new plans issued.",
       rated="yes", target=60.0, amber=50.0,
       targets=(("2023/24", 50.0, 40.0), ("2024/25", 60.0, 50.0)), plan="RRRRR",
       depth=(0.08, 0.22), denominator=(180, 260),
       good="More plans were issued on time as the additional educational psychology capacity "
            "took effect.",
       bad="Timeliness remains well below target because of the shortage of educational "
           "psychologists and the continuing rise in requests for assessment.",
       action="Two locum educational psychologists start in October and the new EHCP hub triages "
              "every request within five days."),
    _s("CS-13", "Number of children and young people with an Education, Health and Care Plan",
       "fairer", "number", 0, "none",
       "Children and young people aged 0 to 25 with an Education, Health and Care Plan maintained "
       "by the council at the end of the quarter.",
       level=6350, trend=0.02, noise=0.005,
       note="Numbers continue to rise by around 8% a year, in line with the national trend."),
    _s("CS-14", "Percentage of 16-17 year olds not in education, employment or training (NEET) or "
       "whose activity is not known", "fairer", "%", 1, "lower",
       "Young people aged 16 and 17 who are NEET or whose activity is not known, as a percentage "
       "of all 16 and 17 year olds resident in Somerset.",
       rated="yes", target=5.5, plan="AGGAR", head=0.1, depth=(0.05, 0.15),
       good="Tracking by the post-16 team keeps the 'not known' figure low.",
       bad="The figure rises every autumn while colleges confirm enrolments and the activity of "
           "many young people is not yet known.",
       action="Post-16 advisers are contacting every young person whose destination is not known."),
    _s("CS-15", "Percentage of pupils offered a place at their first preference primary school",
       "fairer", "%", 1, "higher",
       "Applicants for a reception place who were offered their first preference school on "
       "national offer day in April, as a percentage of all on-time applicants.",
       frequency="annual", due="Q1", rated="yes", target=93.0, plan="...G.",
       values=(None, None, None, 94.1, None),
       good="Above target and above the national figure of 92.5%."),
    _s("CS-16", "Percentage of pupils offered a place at their first preference secondary school",
       "fairer", "%", 1, "higher",
       "Applicants for a Year 7 place who were offered their first preference school on national "
       "offer day in March, as a percentage of all on-time applicants.",
       frequency="annual", due="Q1", values=(None, None, None, 88.7, None),
       note="Slightly above the national figure of 82.9%."),
    _s("CS-17", "Percentage of schools judged Good or Outstanding by Ofsted", "fairer", "%", 1,
       "higher", "Schools in Somerset whose most recent Ofsted inspection judged them Good or "
                 "Outstanding, as a percentage of all inspected schools.",
       level=84.0, trend=0.002, noise=0.005,
       note="School improvement support is focused on the schools that Require Improvement."),
    _s("CS-18", "Persistent absence rate, all pupils (%)", "fairer", "%", 1, "lower",
       "Pupils missing 10% or more of their possible sessions in the autumn and spring terms (Q2: "
       "previous summer term), as a percentage of all pupils.",
       frequency="half-yearly", due="Q2,Q4", level=20.8, trend=-0.01, noise=0.02,
       note="Persistent absence is falling but remains well above pre-pandemic levels."),
    # ---------------------------------------------------------------- Public Health
    _s("PH-01", "Percentage of NHS Health Check invitations taken up", "healthy", "%", 1, "higher",
       "Eligible people aged 40 to 74 who received an NHS Health Check in the quarter, as a "
       "percentage of those offered one.",
       rated="yes", target=45.0, plan="AAGNA",
       good="Take-up improved after the text-message reminder pilot was rolled out to all practices.",
       bad="Take-up is below target in the practices with the largest waiting lists.",
       action="Outreach checks are being offered at community venues in Bridgwater and Yeovil."),
    _s("PH-02", "Number of people setting a quit date with the stop smoking service", "healthy",
       "number", 0, "higher",
       "People who set a quit date with the Smokefree Somerset service in the quarter.",
       level=560, noise=0.06, note="The new national funding for stop smoking services starts "
                                   "this year; a target will be set once the baseline is known."),
    _s("PH-03", "Percentage of smokers setting a quit date who had quit at four weeks", "healthy",
       "%", 1, "higher",
       "People who set a quit date in the quarter and had quit (self-reported) four weeks later, "
       "as a percentage of all who set a quit date.",
       rated="yes", target=50.0, plan="GGGGG", head=0.12,
       good="Quit rates remain above target; vapes offered as a quit aid are proving popular."),
    _s("PH-04", "Percentage of opiate users in treatment who successfully completed treatment",
       "healthy", "%", 1, "higher",
       "Opiate users who left treatment in the last 12 months free of dependence and did not "
       "return within six months, as a percentage of all opiate users in treatment.",
       level=5.6, noise=0.04, note="In line with the national average of 5%."),
    _s("PH-05", "Percentage of mothers smoking at time of delivery", "healthy", "%", 1, "lower",
       "Mothers known to be smokers at the time of delivery, as a percentage of all maternities.",
       rated="yes", target=9.0, plan="RAAAA", depth=(0.06, 0.12),
       good="Smoking in pregnancy is at its lowest recorded level.",
       bad="The rate is falling but remains above target, and is highest in the most deprived "
           "areas.",
       action="The incentive scheme for pregnant smokers has been extended to all maternity units."),
    _s("PH-06", "Percentage of infants totally or partially breastfed at 6-8 weeks", "healthy", "%",
       1, "higher",
       "Infants due a 6 to 8 week check who were totally or partially breastfed, as a percentage "
       "of infants due a check.",
       level=51.5, noise=0.02, note="Similar to the England average."),
    _s("PH-07", "Percentage of new birth visits completed within 14 days", "healthy", "%", 1,
       "higher", "New birth visits by a health visitor completed within 14 days of birth, as a "
                 "percentage of all births in the quarter.",
       rated="yes", target=90.0, plan="GGGGG", head=0.06, denominator=(1000, 1250),
       good="The health visiting service continues to perform well above target."),
    _s("PH-08", "Under-18 conception rate per 1,000 females aged 15-17", "healthy", "rate", 1,
       "lower", "Conceptions to women aged under 18 in the calendar year per 1,000 women aged 15 to "
                "17 (ONS, published with a 15-month lag).",
       frequency="annual", due="Q4", values=(None, None, 11.4, None, None),
       note="Below the England rate of 13.1."),
    # ---------------------------------------------------------------- Housing
    _s("HOU-01", "Number of households in temporary accommodation", "healthy", "number", 0, "lower",
       "Households placed in temporary accommodation by the council under homelessness duties at "
       "the end of the last month of the quarter.",
       frequency="monthly", rated="yes", target=250, amber=275, plan="RRRRR", depth=(0.12, 0.3),
       good="Placements fell as more households moved on into settled homes.",
       bad="Demand remains very high, driven by evictions from the private rented sector.",
       action="A further 40 units of council-owned temporary accommodation will be ready by March, "
              "reducing the use of nightly-paid placements."),
    _s("HOU-02", "Number of households in bed and breakfast accommodation", "healthy", "number", 0,
       "lower", "Households in bed and breakfast accommodation at the end of the quarter.",
       rated="yes", target=30, amber=35, plan="GAAAR", head=0.3, depth=(0.1, 0.4),
       good="The use of bed and breakfast is within target.",
       bad="Bed and breakfast use increased as other temporary accommodation was full.",
       action="Daily placement reviews are in place and no family with children stays in bed and "
              "breakfast for more than six weeks."),
    _s("HOU-03", "Percentage of homelessness cases where homelessness was prevented or relieved",
       "healthy", "%", 1, "higher",
       "Prevention and relief duties ended in the quarter where the household secured "
       "accommodation for at least six months, as a percentage of all such duties ended.",
       rated="yes", target=60.0, plan="AAAAA",
       good="Prevention outcomes are above target.",
       bad="Outcomes are close to target but limited by the shortage of affordable private "
           "rented homes.",
       action="The landlord incentive scheme has been increased to help households into private "
              "rented homes."),
    _s("HOU-04", "Number of people sleeping rough (autumn count)", "healthy", "number", 0, "lower",
       "People seen sleeping rough on a single night in the annual autumn snapshot.",
       frequency="annual", due="Q3", values=(None, 47, None, None, None),
       note="Down from 52 in 2022; outreach workers know everyone counted."),
    _s("HOU-05", "Number of affordable homes delivered", "flourishing", "number", 0, "higher",
       "Affordable homes (social rent, affordable rent and shared ownership) completed in the "
       "quarter.", rated="yes", target=150, plan="AGRRG", head=0.2, depth=(0.2, 0.35),
       good="Completions on two large sites in Taunton and Bridgwater brought delivery above "
            "target.",
       bad="Completions were delayed by phosphate constraints and contractor capacity.",
       action="The housing enabling team is working with registered providers on the schemes "
              "due to complete next quarter."),
    _s("HOU-06", "Number of empty homes brought back into use", "flourishing", "number", 0, "higher",
       "Long-term empty private homes brought back into use in the quarter through council action.",
       level=42, noise=0.12, note="Grants and loans for empty homes owners are available."),
    _s("HOU-07", "Average number of days to re-let council homes", "fairer", "days", 0, "lower",
       "Average calendar days between a council home becoming empty and the new tenancy starting "
       "(excluding major works).",
       rated="no", target=35, level=39, noise=0.05,
       note="Monitored while the new voids contract beds in."),
    _s("HOU-08", "Percentage of council homes meeting the Decent Homes Standard", "fairer", "%", 1,
       "higher", "Council-owned homes meeting the Decent Homes Standard at 31 March, as a "
                 "percentage of all council-owned homes.",
       frequency="annual", due="Q4", rated="yes", target=95.0, plan="..G..",
       good="The stock condition survey confirms the standard is being maintained."),
    _s("HOU-09", "Number of Disabled Facilities Grants completed", "healthy", "number", 0, "higher",
       "Disabled Facilities Grant adaptations completed in the quarter.",
       rated="no", level=112, noise=0.08,
       note="The average time from application to completion is 26 weeks."),
    # ---------------------------------------------------------------- Planning
    _s("PLN-01", "Percentage of major planning applications determined within 13 weeks or an "
       "agreed time", "flourishing", "%", 1, "higher",
       "Major planning applications decided in the quarter within 13 weeks, or within a time "
       "extension agreed with the applicant, as a percentage of all major applications decided.",
       rated="yes", target=60.0, plan="GGGGG", head=0.45, denominator=(28, 45),
       good="Well above the government's 60% designation threshold."),
    _s("PLN-02", "Percentage of minor planning applications determined within 8 weeks or an agreed "
       "time", "flourishing", "%", 1, "higher",
       "Minor planning applications decided in the quarter within 8 weeks, or within an agreed "
       "extension, as a percentage of all minor applications decided.",
       rated="yes", target=70.0, targets=(("2023/24", 65.0, None), ("2024/25", 70.0, None)),
       plan="AAAAG", head=0.12, denominator=(380, 520),
       good="Performance improved as the backlog held by phosphate constraints was cleared.",
       bad="Performance was affected by staff vacancies and the phosphate backlog.",
       action="Agency planners have been engaged until March to clear older applications."),
    _s("PLN-03", "Percentage of other planning applications determined within 8 weeks or an agreed "
       "time", "flourishing", "%", 1, "higher",
       "Other planning applications (householder, change of use, advertisements) decided in the "
       "quarter within 8 weeks or an agreed extension, as a percentage of all decided.",
       rated="yes", target=80.0, plan="GGGGG", head=0.12, denominator=(900, 1150),
       good="Householder applications continue to be decided promptly."),
    _s("PLN-04", "Number of planning applications received", "flourishing", "number", 0, "none",
       "Planning applications of all types received in the quarter.",
       level=2350, noise=0.05, note="Volumes are similar to the same period last year."),
    _s("PLN-05", "Percentage of planning appeals allowed", "flourishing", "%", 1, "lower",
       "Appeals against the council's planning decisions decided by the Planning Inspectorate in "
       "the quarter that were allowed, as a percentage of all appeals decided.",
       rated="no", target=30.0, level=29.0, noise=0.12,
       note="Small numbers; reported for information."),
    _s("PLN-06", "Number of net additional homes completed", "flourishing", "number", 0, "higher",
       "Net additional dwellings completed in Somerset in the financial year (housing land supply "
       "monitoring).", frequency="annual", due="Q4", rated="yes", target=2700,
       targets=(("2023/24", 2600, None),), plan="..A..", values=(None, None, 2512, None, None),
       bad="Completions were close to target; several large sites slowed as the housing market "
           "cooled.",
       action="The Local Plan review is identifying additional deliverable sites."),
    _s("PLN-07", "Number of planning applications held because of phosphate constraints",
       "greener", "number", 0, "lower",
       "Planning applications in the Somerset Levels and Moors catchment awaiting a solution for "
       "phosphate mitigation at the end of the quarter.",
       level=1180, trend=-0.04, noise=0.01,
       note="Numbers are falling as the phosphate credit scheme releases capacity."),
    # ---------------------------------------------------------------- Waste and Recycling
    _s("WST-01", "Household waste sent for reuse, recycling and composting (%)", "greener", "%", 1,
       "higher", "Household waste collected at the kerbside and at recycling sites that is sent "
                 "for reuse, recycling or composting, as a percentage of all household waste.",
       rated="yes", target=56.0, plan="GGAGG", head=0.06,
       good="Garden waste tonnages and the extended plastics collection kept the rate above target.",
       bad="The rate always dips over the winter when little garden waste is collected.",
       action="Winter communications focus on food waste recycling."),
    _s("WST-02", "Residual household waste per household (kg)", "greener", "kg", 1, "lower",
       "Household waste not sent for reuse, recycling or composting in the quarter, in kilograms "
       "per household.", rated="yes", target=100.0, targets=(("2023/24", 102.0, None),),
       plan="AAAAA",
       good="Residual waste is within target.",
       bad="Residual waste is slightly above target.",
       action="The 'Slim my Waste' campaign is being repeated in the areas with the highest "
              "residual waste."),
    _s("WST-03", "Percentage of municipal waste sent to landfill", "greener", "%", 1, "lower",
       "Municipal waste sent to landfill, as a percentage of all municipal waste collected.",
       level=3.4, noise=0.08,
       note="Almost all residual waste now goes to energy recovery at Avonmouth."),
    _s("WST-04", "Missed collections per 100,000 collections", "greener", "rate", 1, "lower",
       "Reported missed kerbside collections that were the contractor's fault, per 100,000 "
       "scheduled collections.", rated="yes", target=60.0, plan="RRRRA", depth=(0.05, 0.25),
       good="Missed collections are within target.",
       bad="Missed collections remain above target following the route changes in the spring.",
       action="The contractor has an improvement plan with weekly monitoring of the worst rounds."),
    _s("WST-05", "Number of fly-tipping incidents reported", "greener", "number", 0, "lower",
       "Fly-tipping incidents on public land reported to the council in the quarter.",
       level=1850, noise=0.07, note="Most incidents are small loads of household waste."),
    _s("WST-06", "Average working days to remove fly-tipping", "greener", "days", 1, "lower",
       "Average working days between a fly-tipping report and its removal from public land.",
       rated="yes", target=5.0, plan="GGGGR", head=0.2, depth=(0.12, 0.2),
       good="Fly-tipping is being cleared promptly.",
       bad="Removal times rose over the summer because of vacancies in the street cleansing team "
           "and a spike in large incidents.",
       action="Two crews have been redeployed from grounds maintenance until the vacancies are "
              "filled."),
    _s("WST-07", "Number of households subscribed to the garden waste collection", "greener",
       "number", 0, "higher",
       "Households with a paid subscription to the fortnightly garden waste collection at the end "
       "of the quarter.", rated="no", level=78500, trend=0.006, noise=0.005,
       note="Subscriptions continue to grow."),
    _s("WST-08", "Percentage of waste reused, recycled or composted at recycling sites", "greener",
       "%", 1, "higher",
       "Waste taken to the council's household recycling sites in the half-year that is reused, "
       "recycled or composted, as a percentage of all waste received at the sites.",
       frequency="half-yearly", due="Q2,Q4", rated="yes", target=75.0, plan="A.A.A",
       good="Above target.",
       bad="The rate is just below target because more mixed waste is arriving in the general "
           "waste containers.",
       action="Site staff are helping visitors sort waste before it reaches the general waste "
              "containers."),
    # ---------------------------------------------------------------- Highways and Transport
    _s("HWY-01", "Number of public electric vehicle charge points", "greener", "number", 0, "higher",
       "Publicly available electric vehicle charge points in Somerset at the end of the quarter "
       "(cumulative).", targets=(("2023/24", 250, None),), plan="RRA--",
       values=(182, 203, 241, 256, 283),
       good="The programme is on track.",
       bad="The roll-out is behind the year-end target because of grid connection delays.",
       action="The LEVI-funded programme will accelerate installations; a 2024/25 target will be "
              "set once the contract is awarded.",
       note="No target for 2024/25 while the LEVI-funded contract is procured."),
    _s("HWY-02", "Number of passenger journeys on local bus services (millions)", "greener",
       "number", 2, "higher",
       "Passenger journeys on local bus services in Somerset in the quarter, in millions.",
       rated="no", level=2.55, trend=0.01, noise=0.03,
       note="Patronage is recovering; the £2 fare cap continues to help."),
    _s("HWY-03", "Percentage of street lights converted to LED", "greener", "%", 1, "higher",
       "Council-owned street lights fitted with LED lanterns, as a percentage of all council-owned "
       "street lights.", level=86.5, trend=0.012, noise=0.002,
       note="The conversion programme will be complete in 2025/26."),
    _s("HWY-04", "Percentage of emergency highway defects made safe within 2 hours", "flourishing",
       "%", 1, "higher",
       "Emergency highway defects reported in the quarter that were made safe within two hours, "
       "as a percentage of all emergency defects.",
       rated="yes", target=98.0, amber=95.0, plan="GGGGG", denominator=(350, 520),
       good="Emergency response remains consistently above target."),
    _s("HWY-05", "Percentage of category 2 highway defects repaired within 28 days", "flourishing",
       "%", 1, "higher",
       "Category 2 (non-emergency) highway defects repaired within 28 days of being recorded, as a "
       "percentage of all category 2 defects due for repair in the quarter.",
       rated="yes", target=90.0, plan="AAAAG", head=0.08,
       good="The drier summer weather allowed the repair backlog to be cleared.",
       bad="Repairs were slowed by the wet weather and the number of defects reported.",
       action="An additional patching gang is working through the backlog."),
    _s("HWY-06", "Number of potholes repaired", "flourishing", "number", 0, "none",
       "Potholes repaired on council-maintained roads in the quarter.",
       level=7600, noise=0.12, note="Repairs peak after the winter months."),
    _s("HWY-07", "Percentage of principal (A) roads where maintenance should be considered",
       "flourishing", "%", 1, "lower",
       "Principal roads surveyed in the year that were in the condition category where maintenance "
       "should be considered (national indicator 130-01).",
       frequency="annual", due="Q4", rated="yes", target=4.0, plan="..G..",
       values=(None, None, 3.6, None, None),
       good="A-road condition remains better than the national average."),
    _s("HWY-08", "Percentage of non-principal classified (B and C) roads where maintenance should "
       "be considered", "flourishing", "%", 1, "lower",
       "B and C roads surveyed in the year that were in the condition category where maintenance "
       "should be considered (national indicator 130-02).",
       frequency="annual", due="Q4", rated="yes", target=6.0, plan="..A..",
       values=(None, None, 6.2, None, None),
       bad="The condition of B and C roads has deteriorated slightly after the wet winter.",
       action="The 2024/25 surfacing programme prioritises B and C roads."),
    _s("HWY-09", "Number of people killed or seriously injured in road traffic collisions",
       "flourishing", "number", 0, "lower",
       "People killed or seriously injured on Somerset's roads in the quarter (provisional police "
       "data).", rated="no", level=78, noise=0.07,
       note="Figures are provisional until the Department for Transport publishes them."),
    # ---------------------------------------------------------------- Libraries and Culture
    _s("LIB-01", "Number of physical visits to libraries", "fairer", "number", 0, "higher",
       "Visits to Somerset's libraries in the quarter, counted by door counters.",
       rated="yes", target=290000, plan="GAGGG", head=0.12, depth=(0.02, 0.05),
       good="Visits remain above target; the summer holidays were the busiest on record.",
       bad="Visits fell over the winter, as they do every year.",
       action="The winter events programme has been expanded."),
    _s("LIB-02", "Number of library issues (physical and digital)", "fairer", "number", 0, "higher",
       "Items issued or renewed in the quarter, including e-books and e-audio.",
       rated="no", level=520000, noise=0.05, note="Reported for information."),
    _s("LIB-03", "Number of e-book and e-audio loans", "fairer", "number", 0, "higher",
       "E-book and e-audio loans in the quarter.",
       level=162000, trend=0.02, noise=0.02, note="Digital lending continues to grow."),
    _s("LIB-04", "Number of children taking part in the Summer Reading Challenge", "fairer",
       "number", 0, "higher",
       "Children aged 4 to 11 who signed up to the Summer Reading Challenge at a Somerset library.",
       frequency="annual", due="Q2", rated="yes", target=9000, targets=(("2023/24", 9500, None),),
       plan="A...G", values=(9210, None, None, None, 9640),
       good="Participation was higher than last year, helped by school visits in July.",
       bad="Participation was just below target.",
       action="School visits will start earlier next year."),
    _s("LIB-05", "Number of visitors to council-supported museums and heritage sites",
       "flourishing", "number", 0, "higher",
       "Visitors to the Museum of Somerset and other council-supported heritage sites in the "
       "quarter.", rated="no", target=40000, level=42000, noise=0.12,
       note="Visitor numbers follow the school holidays."),
    _s("LIB-06", "Number of hours of free public computer use in libraries", "fairer", "number", 0,
       "higher", "Hours of public computer use in libraries in the quarter.",
       level=21000, trend=-0.01, noise=0.04,
       note="Use is gradually falling as more people bring their own devices."),
    _s("LIB-07", "Number of active library members", "fairer", "number", 0, "higher",
       "Library members who have borrowed an item or used a library computer in the last 12 months.",
       level=61800, trend=0.004, noise=0.006, note="Membership continues to recover."),
    # ---------------------------------------------------------------- Revenues and Benefits
    _s("REV-01", "Council tax in-year collection rate (%)", "resilient-council", "%", 1, "higher",
       "Council tax collected in the financial year for that year, as a percentage of the net "
       "collectable debit.",
       frequency="annual", due="Q4", rated="yes", target=97.5, amber=96.0, plan="..A..",
       values=(None, None, 96.9, None, None),
       bad="Collection fell just short of target as more households struggled with the cost of "
           "living.",
       action="Recovery action continues for 2023/24 arrears, with early contact for those "
              "falling behind."),
    _s("REV-02", "Business rates (NNDR) in-year collection rate (%)", "resilient-council", "%", 1,
       "higher", "Business rates collected in the financial year for that year, as a percentage of "
                 "the net collectable debit.",
       frequency="annual", due="Q4", rated="yes", target=98.0, plan="..G..",
       values=(None, None, 98.4, None, None),
       good="Business rates collection exceeded target."),
    _s("REV-03", "Percentage of council tax payers paying by Direct Debit", "resilient-council", "%",
       1, "higher",
       "Council tax accounts paying by Direct Debit at the end of the quarter, as a percentage of "
       "all council tax accounts.", rated="yes", target=75.0, plan="GGGGG", head=0.04,
       good="Direct Debit take-up continues to rise."),
    _s("REV-04", "Number of council tax reminder notices issued", "resilient-council", "number", 0,
       "lower", "Council tax reminder notices issued in the quarter.",
       level=24000, noise=0.1, note="Reminders are issued in monthly runs."),
    _s("REV-05", "Average days to process new Housing Benefit and Council Tax Reduction claims",
       "fairer", "days", 1, "lower",
       "Average calendar days from receipt of a new claim to the decision.",
       rated="yes", target=20.0, plan="RAAAG", head=0.15, depth=(0.05, 0.15),
       good="Processing times improved as the new automated workflow took effect.",
       bad="Processing times were affected by the migration to the new benefits system.",
       action="Overtime is being used to clear claims older than 30 days."),
    _s("REV-06", "Average days to process changes in circumstances", "fairer", "days", 1, "lower",
       "Average calendar days from notification of a change in circumstances to the decision.",
       rated="yes", target=8.0, plan="RRRRR", depth=(0.1, 0.3),
       good="Changes are being processed within target.",
       bad="The volume of changes from Universal Credit notifications remains high.",
       action="Automatic processing of Universal Credit changes goes live in November."),
    _s("REV-07", "Number of working-age households receiving Council Tax Reduction", "fairer",
       "number", 0, "none",
       "Working-age households receiving Council Tax Reduction at the end of the quarter.",
       level=21500, trend=0.004, noise=0.005, note="The caseload is rising slowly."),
    _s("REV-08", "Percentage of Housing Benefit overpayments recovered", "resilient-council", "%", 1,
       "higher", "Housing Benefit overpayments recovered in the year to date, as a percentage of "
                 "overpayments outstanding at the start of the year plus those identified since.",
       level=68.0, noise=0.03, note="In line with previous years."),
    # ---------------------------------------------------------------- Customer Services
    _s("CUS-01", "Percentage of calls to the Customer Contact Centre answered", "resilient-council",
       "%", 1, "higher",
       "Calls to the council's main contact numbers answered by an adviser, as a percentage of "
       "calls offered (excluding calls abandoned within 10 seconds).",
       rated="yes", target=90.0, plan="GGGAR", head=0.05, depth=(0.03, 0.06),
       good="Calls are being answered within target.",
       bad="Demand was high following the garden waste renewals and school transport "
           "applications, and adviser vacancies remain.",
       action="Six new advisers start in October and the garden waste renewal has moved online."),
    _s("CUS-02", "Average call waiting time, Customer Contact Centre (minutes)", "resilient-council",
       "minutes", 1, "lower",
       "Average time callers wait before speaking to an adviser, in minutes.",
       rated="yes", target=5.0, plan="AAGNG", head=0.25,
       good="Waiting times are within target.",
       bad="Waiting times were above target at the busiest times of day.",
       action="Call-back is being offered when the wait exceeds five minutes."),
    _s("CUS-03", "Number of calls received by the Customer Contact Centre", "resilient-council",
       "number", 0, "none", "Calls offered to the Customer Contact Centre in the quarter.",
       level=104000, noise=0.06, note="Volumes peak in April with the annual council tax bills."),
    _s("CUS-04", "Percentage of FOI requests answered within 20 working days", "resilient-council",
       "%", 1, "higher",
       "Freedom of Information and Environmental Information Regulations requests due in the "
       "quarter that were answered within 20 working days, as a percentage of all requests due.",
       rated="yes", target=90.0, amber=85.0, plan="RRRRR", depth=(0.05, 0.12),
       denominator=(420, 520),
       good="FOI responses are within the Information Commissioner's expected standard.",
       bad="Performance remains below the Information Commissioner's expected standard of 90% as "
           "services struggle to provide information on time.",
       action="Overdue requests are reported to directors weekly and the Information Governance "
              "team is training FOI champions in each directorate."),
    _s("CUS-05", "Number of FOI and EIR requests received", "resilient-council", "number", 0,
       "none", "Freedom of Information and Environmental Information Regulations requests received "
               "in the quarter.", level=470, noise=0.06,
       note="Around a quarter of requests are from journalists."),
    _s("CUS-06", "Percentage of Stage 1 complaints responded to within 10 working days",
       "resilient-council", "%", 1, "higher",
       "Stage 1 complaints closed in the quarter that were responded to within 10 working days, "
       "as a percentage of all Stage 1 complaints closed.",
       rated="yes", target=85.0, plan="AAAAA",
       good="Complaints are being answered within target.",
       bad="Response times are just below target, with delays in highways and waste complaints.",
       action="The complaints team now chases responses at day 7."),
    _s("CUS-07", "Number of complaints upheld by the Local Government and Social Care Ombudsman",
       "resilient-council", "number", 0, "lower",
       "Complaints about the council that the Ombudsman upheld in the previous financial year "
       "(published in the Ombudsman's annual review each July).",
       frequency="annual", due="Q2", values=(34, None, None, None, 38),
       note="Most upheld complaints concern children's education and SEND services."),
    _s("CUS-08", "Percentage of customer transactions completed online", "resilient-council", "%",
       1, "higher", "Customer transactions completed through online forms and the customer portal, "
                    "as a percentage of all transactions.",
       level=57.5, trend=0.012, noise=0.01, note="Channel shift continues."),
    # ---------------------------------------------------------------- HR and OD
    _s("HR-01", "Average days lost to sickness absence per FTE (rolling 12 months)",
       "resilient-council", "days", 1, "lower",
       "Working days lost to sickness absence in the last 12 months per full-time equivalent "
       "employee (excluding schools).", rated="yes", target=9.0,
       targets=(("2023/24", 9.5, None), ("2024/25", 9.0, None)),
       plan="RRRRR", depth=(0.04, 0.12),
       good="Sickness absence is within target.",
       bad="Absence remains above target; mental health and musculoskeletal conditions account "
           "for over half of days lost.",
       action="Managers are receiving refreshed attendance management training and the employee "
              "assistance programme is being promoted."),
    _s("HR-02", "Percentage of sickness absence due to mental health", "resilient-council", "%", 1,
       "lower", "Days lost to stress, anxiety and depression, as a percentage of all days lost to "
               "sickness absence in the last 12 months.",
       level=27.5, noise=0.03, note="The largest single cause of absence."),
    _s("HR-03", "Voluntary staff turnover (rolling 12 months, %)", "resilient-council", "%", 1,
       "lower", "Employees leaving voluntarily in the last 12 months, as a percentage of average "
                "headcount (excluding schools).",
       rated="yes", target=12.0, plan="GGGGG", head=0.12,
       good="Turnover is within target and has fallen since the new pay structure was introduced."),
    _s("HR-04", "Number of agency workers", "resilient-council", "number", 0, "lower",
       "Agency workers engaged by the council at the end of the quarter.",
       rated="no", level=305, trend=-0.02, noise=0.03,
       note="Most agency workers cover social work vacancies."),
    _s("HR-05", "Percentage of staff who have completed mandatory data protection training",
       "resilient-council", "%", 1, "higher",
       "Employees who have completed the mandatory data protection e-learning in the last two "
       "years, as a percentage of all employees.",
       rated="yes", target=95.0, plan="GGGGM", head=0.04,
       good="Completion remains above target."),
    _s("HR-06", "Number of apprenticeship starts", "resilient-council", "number", 0, "higher",
       "Employees starting an apprenticeship (new recruits and existing staff) in the half-year.",
       frequency="half-yearly", due="Q2,Q4", rated="yes", target=40, plan="R.R.R",
       depth=(0.08, 0.25),
       good="Apprenticeship starts are on target.",
       bad="Starts are below target; fewer existing staff have taken up apprenticeships this year.",
       action="The apprenticeship levy plan is being refreshed with directorates."),
    _s("HR-07", "Number of full-time equivalent employees", "resilient-council", "number", 0,
       "none", "Full-time equivalent employees at the end of the quarter (excluding schools).",
       level=5850, trend=-0.006, noise=0.003,
       note="The workforce is reducing as the budget recovery plan takes effect."),
    # ---------------------------------------------------------------- Finance
    _s("FIN-01", "Forecast revenue budget overspend at year end (£m)", "resilient-council", "£m", 1,
       "none", "The forecast variance between the net revenue budget and the forecast outturn; a "
               "positive figure is an overspend.",
       values=(27.4, 21.8, 18.9, 21.2, 17.6),
       note="The forecast is after the mitigations agreed by the Executive; see the separate "
            "budget monitoring report."),
    _s("FIN-02", "Percentage of the capital programme spent to date", "resilient-council", "%", 1,
       "none", "Capital expenditure in the financial year to date, as a percentage of the approved "
               "capital programme for the year.",
       values=(22.8, 45.1, 81.3, 12.6, 31.9),
       note="Spend is weighted towards the second half of the year."),
    _s("FIN-03", "Percentage of agreed budget savings delivered or on track", "resilient-council",
       "%", 1, "higher",
       "Savings agreed in the budget for the year that have been delivered or are on track to be "
       "delivered, by value, as a percentage of all agreed savings.",
       rated="yes", target=90.0, plan="GGAAR", head=0.05, depth=(0.05, 0.1),
       good="Savings are on track.",
       bad="Several savings in adult social care and home-to-school transport are now at risk of "
           "not being delivered this year.",
       action="Alternative savings are being identified and reported to the Executive."),
    _s("FIN-04", "Percentage of undisputed invoices paid within 30 days", "resilient-council", "%",
       1, "higher", "Undisputed invoices from suppliers paid within 30 days of receipt, as a "
                    "percentage of all undisputed invoices paid.",
       rated="yes", target=95.0, plan="GGGGG", head=0.03, denominator=(34000, 41000),
       good="Payment performance remains above target."),
    _s("FIN-05", "Percentage of sundry debt more than 90 days old", "resilient-council", "%", 1,
       "lower", "Sundry (non-tax) debt outstanding for more than 90 days, as a percentage of all "
                "sundry debt outstanding.",
       rated="no", target=30.0, level=33.0, noise=0.04,
       note="Most long-standing debt relates to adult social care charges."),
    _s("FIN-06", "General fund reserves (£m)", "resilient-council", "£m", 1, "higher",
       "Uncommitted general fund reserves at the end of the quarter.",
       values=(41.3, 41.3, 33.0, 33.0, 33.0),
       note="Reserves are below the level recommended by the S151 Officer."),
    _s("FIN-07", "Average return on treasury management investments (%)", "resilient-council", "%",
       2, "none", "Average annualised rate of return on the council's treasury investments in the "
                  "quarter.", values=(5.12, 5.34, 5.38, 5.29, 5.18),
       note="Returns follow the Bank of England base rate."),
    _s("FIN-08", "Percentage of council spend with Somerset-based suppliers", "flourishing", "%", 1,
       "higher", "Council spend with suppliers based in Somerset, as a percentage of all council "
                 "spend with external suppliers in the quarter.",
       rated="yes", target=40.0, plan="GGGGA", head=0.08,
       good="Local spend is above target.",
       bad="Local spend fell because of large national contracts paid this quarter.",
       action="The social value policy is being applied to all contracts above £100,000."),
    _s("FIN-09", "Percentage of council spend with small and medium-sized enterprises",
       "flourishing", "%", 1, "higher",
       "Council spend with small and medium-sized enterprises, as a percentage of all council "
       "spend with external suppliers in the quarter.",
       level=34.5, noise=0.04, note="Reported for information."),
)
