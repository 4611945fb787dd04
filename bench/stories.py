"""A labelled set for stories across sources, from texts written for newsstream (no real outlet's).

Twelve events in six pairs of the same kind on the same day (two storms, two central
bank decisions, two football matches, two votes, two technology rulings, two crimes),
each told by three outlets in their own words. Every told version is then syndicated:
copies with the edits republishing makes (a new headline, a paragraph of the outlet's
own added, the last paragraph cut, agency and newsletter boilerplate, a byline).

Labels: an item's story is its event; a copy's original is the version it was made from.

Example:
    >>> items = build()
    >>> len(items), len({i.story for i in items}), sum(i.original is not None for i in items)
    (120, 12, 72)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

#: event -> three versions (headline, body), each by another outlet, in its own words.
EVENTS: dict[str, list[tuple[str, str]]] = {
    "storm-dover": [
        (
            "Storm Ida shuts Dover port",
            "Storm Ida closed the Port of Dover on Monday as gusts reached 90 mph along the Kent coast. P&O Ferries and DFDS cancelled every crossing to Calais until the evening. The Met Office issued an amber warning for wind across south-east England, and Kent Police asked lorry drivers to stay off the A20 while Operation Brock was put in place.",
        ),
        (
            "Ferries cancelled as Ida batters Kent",
            "Every sailing between Dover and Calais was called off after Storm Ida brought winds of up to 90mph to Kent. Queues of lorries built up on the approach roads, and police activated Operation Brock on the M20. DFDS said passengers booked on Monday would be moved to Tuesday. Forecasters at the Met Office kept an amber alert in place until midnight.",
        ),
        (
            "Channel crossings halted by storm",
            "Gales from Storm Ida stopped ferry traffic across the Channel, with the Port of Dover closed for most of Monday. Hauliers described waits of eight hours near Folkestone. The Met Office said the strongest gusts were recorded at Langdon Bay. P&O Ferries expected a normal timetable to resume on Tuesday morning if the wind eased.",
        ),
    ],
    "floods-valencia": [
        (
            "Flash floods hit Valencia",
            "Flash floods swept through towns south of Valencia on Monday after more than 300 litres of rain fell per square metre in eight hours. Spain's weather agency AEMET issued a red alert, and the regional government suspended classes. Rescue teams used helicopters to lift drivers from cars trapped on the V-31 motorway near Paiporta.",
        ),
        (
            "Red alert in Valencia after torrential rain",
            "Torrential rain turned streets into rivers in Paiporta and Catarroja, where firefighters pulled dozens of people from flooded ground floors. AEMET declared a red warning for the Valencia region. Regional president Carlos Mazón said schools would stay closed on Tuesday, and Renfe suspended commuter trains to Xàtiva.",
        ),
        (
            "Spanish towns flooded, drivers rescued",
            "Emergency services in eastern Spain rescued motorists stranded on the V-31 after a storm dropped a year's rain in a single morning on towns around Valencia. The Júcar river rose above its banks near Alzira. AEMET said the downpour would move north towards Castellón overnight.",
        ),
    ],
    "boe-rates": [
        (
            "Bank of England holds rates at 4.5%",
            "The Bank of England kept its main interest rate at 4.5% on Thursday, with the Monetary Policy Committee voting seven to two. Governor Andrew Bailey said inflation was falling but services prices remained sticky. Two members, Swati Dhingra and Alan Taylor, voted for a cut to 4.25%. Sterling rose against the dollar after the decision.",
        ),
        (
            "BoE leaves borrowing costs unchanged",
            "British borrowing costs stay where they are after the Bank of England's rate setters voted 7-2 to leave Bank Rate at 4.5 per cent. Andrew Bailey told reporters the committee wanted more evidence that wage growth was cooling. Mortgage lenders said fixed-rate deals were unlikely to move. The pound gained half a cent.",
        ),
        (
            "Rates on hold in London as two policymakers dissent",
            "Policymakers in London held interest rates on Thursday, though Swati Dhingra and Alan Taylor wanted a quarter-point reduction. The Bank of England's next forecast is due in May. Economists at Barclays said a cut then was likely if services inflation slowed, and the decision pushed gilt yields slightly higher.",
        ),
    ],
    "ecb-rates": [
        (
            "ECB cuts deposit rate to 2.5%",
            "The European Central Bank lowered its deposit rate by a quarter point to 2.5% on Thursday, its sixth cut in a year. President Christine Lagarde said euro zone inflation was close to the 2% target and growth remained weak. The Governing Council decision was unanimous, and the euro slipped against the dollar in Frankfurt trading.",
        ),
        (
            "Lagarde signals more easing after sixth ECB cut",
            "Christine Lagarde said the European Central Bank was not done lowering borrowing costs after it trimmed the deposit rate to 2.5 per cent. Staff forecasts cut the growth outlook for Germany and Italy. Bond markets in Frankfurt and Milan rallied, and traders priced in another reduction in June.",
        ),
        (
            "Euro zone borrowing costs fall again",
            "Borrowing costs across the euro zone fell for a sixth time as the ECB reduced its key rate by 25 basis points. The Governing Council agreed unanimously in Frankfurt. Lagarde pointed to lower energy prices and weaker wage growth, while the Bundesbank's Joachim Nagel warned against cutting too fast.",
        ),
    ],
    "arsenal-chelsea": [
        (
            "Arsenal beat Chelsea 2-1",
            "Bukayo Saka scored the winner as Arsenal beat Chelsea 2-1 at the Emirates Stadium on Sunday. Cole Palmer had equalised for Chelsea after Martin Ødegaard's opener. The result moves Arsenal three points clear at the top of the Premier League. Mikel Arteta praised his side's second-half pressing.",
        ),
        (
            "Saka settles London derby",
            "A late Bukayo Saka strike gave Arsenal victory over Chelsea in a tense London derby. Martin Ødegaard put the hosts ahead before the break and Cole Palmer levelled from the penalty spot. Arteta's team now lead the Premier League by three points, while Enzo Maresca said Chelsea deserved a draw.",
        ),
        (
            "Arsenal go three clear after derby win",
            "Arsenal moved three points clear in the Premier League with a 2-1 win over Chelsea. Ødegaard headed in a corner, Palmer converted a penalty, and Saka curled in the decisive goal with eight minutes left. Maresca complained about the referee's decision to allow Arsenal's winner.",
        ),
    ],
    "madrid-barcelona": [
        (
            "Real Madrid and Barcelona draw 2-2",
            "Real Madrid and Barcelona drew 2-2 at the Santiago Bernabéu on Sunday. Kylian Mbappé scored twice for Madrid, but Robert Lewandowski and Lamine Yamal replied for Barcelona. The result leaves Barcelona one point ahead in La Liga. Carlo Ancelotti said his team lost control after half-time.",
        ),
        (
            "Yamal rescues point for Barcelona in Clasico",
            "Lamine Yamal's late equaliser earned Barcelona a 2-2 draw with Real Madrid in the Clasico. Mbappé had twice put Madrid in front at the Bernabéu, with Lewandowski scoring in between. Hansi Flick said his team showed character, and Barcelona stay top of La Liga by a point.",
        ),
        (
            "Mbappe double not enough as Clasico ends level",
            "Two goals from Kylian Mbappé were not enough for Real Madrid, who were held 2-2 by Barcelona in Madrid. Robert Lewandowski and the 17-year-old Lamine Yamal scored for the visitors. Ancelotti blamed tired legs, while Flick praised his young winger.",
        ),
    ],
    "portugal-election": [
        (
            "Portugal calls snap election",
            "Portugal's President Marcelo Rebelo de Sousa called a snap general election for May 18 after Prime Minister Luís Montenegro lost a confidence vote in parliament. It will be the country's third election in three years. The opposition Socialist Party, led by Pedro Nuno Santos, said the government had brought the crisis on itself.",
        ),
        (
            "Montenegro government falls, Portuguese to vote in May",
            "Portuguese voters will go to the polls on May 18, President Rebelo de Sousa announced, after Luís Montenegro's minority government lost a vote of confidence in Lisbon. Montenegro said he would stand again. Polls show his Democratic Alliance narrowly ahead of the Socialists, with the far-right Chega third.",
        ),
        (
            "Third election in three years for Portugal",
            "Lisbon is heading for another general election after parliament voted down Prime Minister Montenegro's confidence motion. The head of state set the date for May 18. Pedro Nuno Santos of the Socialists accused Montenegro of putting his business interests before the country, a charge the prime minister denies.",
        ),
    ],
    "canada-byelection": [
        (
            "Liberals lose Toronto seat in by-election",
            "Canada's governing Liberals lost the Toronto-St. Paul's by-election to the Conservatives on Monday, a seat they had held for three decades. Conservative candidate Don Stewart won by 590 votes. Prime Minister Justin Trudeau said he would reflect on the result, while Pierre Poilievre called it a verdict on the government.",
        ),
        (
            "Conservatives take Liberal stronghold in Toronto",
            "Don Stewart of the Conservatives won Toronto-St. Paul's by a few hundred votes, ending more than 30 years of Liberal control of the riding. Pierre Poilievre said voters wanted an early general election. Several Liberal MPs privately questioned Justin Trudeau's leadership after the defeat.",
        ),
        (
            "Trudeau under pressure after by-election upset",
            "Justin Trudeau faces questions from his own caucus after the Liberals lost Toronto-St. Paul's, one of their safest seats in Canada. Elections Canada reported a turnout of 43 per cent. The Conservative winner, Don Stewart, thanked volunteers and promised to focus on housing costs.",
        ),
    ],
    "nvidia-export": [
        (
            "US tightens chip export rules for Nvidia",
            "The US Commerce Department tightened rules on exports of advanced AI chips to China, a move that affects Nvidia's H20 processor. Nvidia said it expected a charge of $5.5bn. Commerce Secretary Howard Lutnick said the licence requirement would remain in place indefinitely. Shares in Nvidia fell 6% in after-hours trading in New York.",
        ),
        (
            "Nvidia takes $5.5bn hit from China curbs",
            "Nvidia will book a $5.5 billion charge after Washington required licences for sales of its H20 chip to China. Jensen Huang's company had designed the part to comply with earlier limits. Analysts at Morgan Stanley said rivals such as Huawei would gain share. AMD also warned of an $800 million impact.",
        ),
        (
            "China chip curbs widen as Washington adds licence rule",
            "Sales of Nvidia's H20 accelerator to Chinese customers now need a licence from the Commerce Department, the latest step in Washington's effort to slow China's AI development. Howard Lutnick said the rule was needed for national security. Nvidia shares dropped in late trading, and AMD said its MI308 chip was covered too.",
        ),
    ],
    "apple-eu-fine": [
        (
            "EU fines Apple 500m euros under digital law",
            "The European Commission fined Apple 500 million euros for breaching the Digital Markets Act by stopping app developers from telling users about cheaper offers outside the App Store. Competition chief Teresa Ribera said the company had 60 days to comply. Apple said it would appeal and called the decision unfair.",
        ),
        (
            "Apple to appeal Brussels App Store penalty",
            "Apple said it would challenge a €500m fine from the European Commission, which found that App Store rules broke the Digital Markets Act. Teresa Ribera said developers must be free to steer customers to other offers. Meta was fined €200m in a separate ruling on the same day in Brussels.",
        ),
        (
            "Brussels hits Apple with first DMA fine",
            "The first penalties under the EU's Digital Markets Act fell on Apple, ordered to pay half a billion euros over App Store anti-steering rules. The European Commission gave the iPhone maker two months to change its terms. Apple's lawyers said the Commission was moving the goalposts.",
        ),
    ],
    "louvre-theft": [
        (
            "Two arrested over Louvre jewel theft",
            "French police arrested two men over the theft of crown jewels from the Louvre in Paris, prosecutor Laure Beccuau said on Sunday. One suspect was detained at Charles de Gaulle airport as he tried to board a flight to Algeria. The jewels, taken from the Apollo Gallery a week ago, have not been recovered.",
        ),
        (
            "Suspect held at Paris airport in Louvre heist probe",
            "A man suspected of taking part in the Louvre robbery was stopped at Roissy-Charles de Gaulle airport, Paris prosecutor Laure Beccuau said. A second suspect was arrested in Seine-Saint-Denis. Thieves used a furniture lift to reach the Apollo Gallery and escaped on scooters with eight pieces of jewellery.",
        ),
        (
            "Louvre robbery: arrests but no jewels",
            "Investigators have made two arrests in the Louvre heist but the stolen jewels are still missing, the Paris prosecutor's office said. Laure Beccuau asked the public not to speculate. Culture minister Rachida Dati said security at French museums would be reviewed, and the Louvre's Apollo Gallery remains closed.",
        ),
    ],
    "sydney-hospital-hack": [
        (
            "Cyber attack disrupts Sydney hospitals",
            "A cyber attack disrupted computer systems at hospitals in western Sydney on Tuesday, forcing staff to use paper records. NSW Health said emergency departments at Westmead and Blacktown stayed open. The Australian Cyber Security Centre was helping investigate, and police said no ransom demand had been made public.",
        ),
        (
            "Westmead hospital back to paper after hack",
            "Doctors at Westmead Hospital switched to paper charts after hackers got into NSW Health systems. Health minister Ryan Park said patient care had not been affected. The Australian Cyber Security Centre and NSW Police opened an investigation, and elective surgery at Blacktown was postponed.",
        ),
        (
            "NSW Health investigates breach at western Sydney hospitals",
            "NSW Health is investigating a breach of its systems at Westmead and Blacktown hospitals, which disrupted pathology results and scheduling. Ryan Park said it was too early to say whether patient data was stolen. The federal cyber agency sent specialists to help restore the network.",
        ),
    ],
}

#: A paragraph an outlet adds to a syndicated copy: its own context, in its own words.
ADDED = [
    "Our correspondent said the mood in the area was tense.",
    "Readers can follow updates on our website throughout the day.",
    "The story was updated with further details at midday.",
    "Local businesses said they were preparing for a difficult week.",
]
BOILERPLATE = [
    "Reporting by staff correspondents; editing by the news desk.",
    "Sign up for our morning newsletter to get stories like this.",
    "Copyright 2026. All rights reserved.",
]
BYLINES = ["By Mara Quint, Staff Reporter", "By Tomas Ferrell", "Newsdesk"]


@dataclass(frozen=True)
class LabelledItem:
    """One entry of the set: its text, time, story and (for a copy) the version it copies."""

    item_id: str
    story: str
    headline: str
    body: str
    at: datetime
    original: str | None = None


def _copy(body: str, rng: random.Random, edit: int) -> str:
    """A syndicated copy of `body` with the edits of republishing (edit 0 or 1: two copies)."""
    sentences = body.split(". ")
    if edit == 0:  # a paragraph added, boilerplate and a byline
        text = ". ".join(sentences) + "\n" + rng.choice(ADDED) + "\n" + rng.choice(BOILERPLATE)
        return rng.choice(BYLINES) + "\n" + text
    # the last sentence cut, boilerplate at the end
    return ". ".join(sentences[:-1]) + ".\n" + rng.choice(BOILERPLATE)


def build(seed: int = 7) -> list[LabelledItem]:
    """The labelled items in the order they are published (originals before their copies)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    start = datetime(2026, 3, 2, 6, tzinfo=UTC)
    items: list[LabelledItem] = []
    for story, versions in EVENTS.items():
        for v, (headline, body) in enumerate(versions):
            at = start + timedelta(minutes=rng.randrange(0, 36 * 60))
            version_id = f"{story}/v{v}"
            items.append(LabelledItem(version_id, story, headline, body, at))
            for edit in (0, 1):
                later = at + timedelta(minutes=rng.randrange(5, 240))
                new_headline = f"{headline.split(' ', 1)[-1].capitalize()}, reports say"
                items.append(
                    LabelledItem(
                        f"{version_id}/copy{edit}",
                        story,
                        new_headline,
                        _copy(body, rng, edit),
                        later,
                        version_id,
                    )
                )
    # Each event again in a later round-up: a sentence from each of two other outlets and a
    # line of its own; the same story, but a copy of none of them.
    for story, versions in EVENTS.items():
        second, third = (body.split(". ") for _, body in versions[1:])
        at = start + timedelta(hours=40, minutes=rng.randrange(0, 120))
        follow = f"{second[1]}. {third[-1]} Further statements were expected later in the day."
        items.append(LabelledItem(f"{story}/follow", story, f"Round-up: {versions[0][0]}", follow, at))
    items.sort(key=lambda i: (i.at, i.item_id))
    return items
