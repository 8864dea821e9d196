"""Swedish phrase bank for the synthetic focus-group transcripts.

Each sentence belongs to one leaf code of ``codebooks/focus_groups.yaml``;
a generated turn strings one to three of them together, so the generator
knows the true codes of every turn. Entirely fictional.
"""

__all__ = ["PHRASES", "MODERATOR_QUESTIONS", "FILLERS"]

PHRASES: dict[str, list[str]] = {
    "flickor_vistas": [
        "De sitter på trappan i flera timmar, särskilt på fredagar.",
        "Det är ofta samma gäng tjejer, fjorton, femton år, som hänger vid glaskonstverket.",
        "På sommarlovet stannar de längre, ibland till sent på kvällen.",
        "Man ser dem sitta nere på Plattan med mobilerna, de väntar på någon.",
        "En del tjejer är här nästan varje dag efter skolan.",
        "När det är sol sitter de längst ner i trapporna och bara hänger.",
        "De stannar mer nu än för några år sedan, det märks tydligt.",
    ],
    "flickor_passerar": [
        "De flesta går bara förbi på väg till tunnelbanan.",
        "Många byter bara tåg på T-Centralen och passerar genom torget.",
        "För de flesta tjejerna är det en genomfartsplats, inte ett ställe man stannar på.",
        "De passerar snabbt, särskilt när det är mörkt.",
        "Man ser dem gå igenom i grupp på väg till Drottninggatan.",
    ],
    "flickor_motesplats": [
        "De bestämmer träff på Snapchat och så ses de här.",
        "Sergels torg är ju mötesplatsen, alla vet var det är.",
        "Kompisar från olika förorter ses här eftersom det är mitt emellan.",
        "Det sprids snabbt i sociala medier när något händer på torget.",
        "Tjejerna säger att de kommer hit för att träffa kompisar, inte för något annat.",
    ],
    "narkotikahandel": [
        "Langarna flyttade bara trettio meter bort när parken kom.",
        "Handeln med tabletter har ökat, det säljs öppet vid trappan.",
        "Det är fortfarande en öppen narkotikascen, det har inte försvunnit.",
        "Kamerorna gjorde att de som säljer flyttade in under tunnelbanan.",
        "Missbrukarna har blivit färre på Plattan men de finns kvar runt hörnet.",
        "Vi ser att cannabis säljs till ganska unga nu.",
        "När det är mycket folk blir det svårare att se vem som säljer droger.",
    ],
    "exploatering": [
        "Vi ser äldre män som erbjuder tjejerna snus och skjuts.",
        "Det finns de som försöker utnyttja tjejer som inte har någonstans att ta vägen.",
        "Några tjejer har blivit rekryterade som springpojkar, eller springflickor då.",
        "Grooming sker ofta först på nätet och sedan ses de här.",
        "Äldre killar bjuder på mat och sedan kommer kraven.",
        "Vi har fått orosanmälningar om sexuell exploatering kopplat till platsen.",
    ],
    "upplevd_trygghet": [
        "Med fler människor här känns det faktiskt tryggare.",
        "Många tjejer säger att de känner sig otrygga efter klockan nio.",
        "Belysningen gör mycket, det känns mindre obehagligt nu.",
        "Föräldrar är rädda för att barnen ska vara här.",
        "Det känns tryggare när det är evenemang och vakter syns.",
        "Jag skulle inte säga att det är tryggt, men det är bättre än det var.",
    ],
    "konst_positiv": [
        "Det blev ett helt annat liv på torget under scenkvällarna.",
        "Konstverken på Plattan fick folk att stanna upp och titta.",
        "Turister och barnfamiljer kom tillbaka, det var länge sedan.",
        "Konserten i juni drog en helt annan publik, det var fint att se.",
        "Torget känns mer välkomnande när det händer saker här.",
        "Kulturen ger platsen ett annat rykte, inte bara knarktorget.",
    ],
    "konst_kritik": [
        "Det är kosmetika, problemen flyttar bara runt hörnet.",
        "Allt försvinner på hösten och då är det som vanligt igen.",
        "Konsten når inte de tjejer vi jobbar med, den är för vuxna.",
        "Det blir en fasad för att staden ska se bra ut.",
        "Det tillfälliga gör att ingenting hinner sätta sig.",
    ],
    "tillfallig_park": [
        "Pallkragarna blev ett ställe där man kunde gömma saker.",
        "Bänkarna gjorde att folk satte sig, både de vi vill ha här och andra.",
        "Växterna skymde sikten, det blev svårare för oss att se.",
        "Belysningen i parken var bra, det blev ljusare på kvällarna.",
        "Möblerna flyttades runt hela tiden så platsen såg olika ut varje vecka.",
    ],
    "samverkan": [
        "Samverkan med fastighetsägarna har blivit mycket bättre.",
        "Vi har gemensamma rundor med fältassistenterna på fredagar.",
        "Det är oklart vem som ansvarar när evenemangen slutar.",
        "Socialtjänsten och polisen har möten varje vecka om torget nu.",
        "Vakterna ringer oss när de ser en ung tjej som verkar utsatt.",
        "Informationen mellan oss och arrangörerna fungerar inte alltid.",
    ],
    "kontaktskapande": [
        "Under konserterna var det lättare att börja prata med dem.",
        "Det tar tid att bygga förtroende, man måste vara här ofta.",
        "Vi försöker fånga upp tjejerna innan någon annan gör det.",
        "När vi har kaffe och sittplatser kommer de fram och pratar.",
        "Vi kan slussa dem vidare till stöd, men de måste vilja själva.",
        "Kontakten blir bättre när vi inte bara kommer för att ingripa.",
    ],
    "arbetsmiljo": [
        "Vi är för få för att hinna se allt när det är evenemang.",
        "Vårt mandat räcker inte, vi kan bara be folk att flytta på sig.",
        "Det blir stressigt när det är tusentals människor här.",
        "Bemanningen är densamma fast uppdraget har vuxit.",
        "Man blir sliten av att se samma tjejer komma tillbaka.",
    ],
    "metodkonflikt": [
        "Vi vill ju att torget ska vara välkomnande, men inte att fjortonåringar ska lockas hit där langarna står.",
        "Det är ett dilemma, aktiveringen lockar just de unga vi vill skydda härifrån.",
        "Risken är att vi drar hit fler tjejer till en plats där de blir sedda av fel personer.",
        "Man måste göra både och, men det går inte att både locka och skydda samtidigt.",
        "Ju mer attraktivt det blir, desto fler unga tjejer kommer hit, och det oroar mig.",
        "Jag är kluven, konsten är bra men den lockar också tjejer till en riskmiljö.",
    ],
}

MODERATOR_QUESTIONS = [
    "Kan ni börja med att berätta hur ni möter tjejer mellan tretton och arton på torget?",
    "Vad har förändrats sedan aktiveringen började?",
    "Hur påverkar konsten och evenemangen ert arbete?",
    "Vad tänker ni om den tillfälliga parken?",
    "Hur ser ni på tryggheten för tjejerna?",
    "Finns det risker med att fler unga kommer hit?",
    "Hur fungerar samarbetet med de andra aktörerna?",
    "Kan du utveckla det?",
    "Känner de andra igen sig i det?",
    "Vad skulle ni vilja ändra på?",
    "Hur är det på kvällarna jämfört med dagtid?",
    "Något mer innan vi går vidare?",
]

FILLERS = ["Ja, precis.", "Mm, det stämmer.", "Jag håller med.", "Ja.", "Nja, inte riktigt."]
