"""What the demo's dialogues say: their statements, written for the demo, and who wrote them.

Facts come from the EU-LAC Digital Alliance's public description (BELLA and EllaLink, the
Copernicus centres in Panama and Chile, the Digital Accelerator, ECLAC and the D4D Hub, the
initial EUR 145 million of Team Europe); the opinions are invented. Each statement names the
demo organisation its author speaks for and the part it plays in the voting: supported by
every opinion group ("bridging"), loved by some groups and rejected by the others
("divisive"), or splitting the groups ("ordinary").
"""

from dataclasses import dataclass
from typing import Literal

Structure = Literal["bridging", "divisive", "ordinary"]
Kind = Literal["expectation", "opportunity", "proposal"]
Language = Literal["en", "es", "pt"]


@dataclass(frozen=True)
class DemoStatement:
    """A statement of a demo dialogue, by a person of the organisation named."""

    text: str
    kind: Kind
    language: Language
    organisation: str
    structure: Structure = "ordinary"


def _s(
    language: Language,
    kind: Kind,
    organisation: str,
    text: str,
    structure: Structure = "ordinary",
) -> DemoStatement:
    return DemoStatement(
        text=text, kind=kind, language=language, organisation=organisation, structure=structure
    )


_E: Kind = "expectation"
_O: Kind = "opportunity"
_P: Kind = "proposal"

PRIORITIES_STATEMENTS: tuple[DemoStatement, ...] = (
    # Bridging: every opinion group, and so both regions, supports these.
    _s(
        "en",
        _P,
        "redclara",
        (
            "Extend the BELLA research network to the Caribbean islands, so that universities "
            "there reach European partners over the same fast, secure link as the rest of Latin "
            "America."
        ),
        "bridging",
    ),
    _s(
        "es",
        _E,
        "eclac",
        (
            "Esperamos que la Alianza publique cada año, junto con la CEPAL, un informe abierto "
            "sobre qué se financió con los 145 millones de euros de Team Europe y con qué "
            "resultados."
        ),
        "bridging",
    ),
    _s(
        "pt",
        _O,
        "instituto-amazonico-observacao-terra",
        (
            "Os centros regionais Copernicus no Panamá e no Chile podem dar às prefeituras alertas "
            "gratuitos de enchentes e desmatamento, se os dados chegarem em formatos que elas "
            "consigam usar."
        ),
        "bridging",
    ),
    _s(
        "en",
        _P,
        "fundacion-alfabeto-digital-iberico",
        (
            "Fund digital skills courses for older people and rural communities in both regions, "
            "taught in their own languages and built around the public services they actually use."
        ),
        "bridging",
    ),
    _s(
        "es",
        _P,
        "centro-istmeno-incidentes",
        (
            "Crear una red birregional de equipos de respuesta a incidentes que compartan alertas "
            "y ejercicios, para que un ataque a un hospital de un país sirva de aviso a todos."
        ),
        "bridging",
    ),
    _s(
        "en",
        _E,
        "caribbean-digital-cooperation-secretariat",
        (
            "Small island states should have a seat at the table when the Alliance sets its "
            "priorities, not only be consulted after the decisions are made."
        ),
        "bridging",
    ),
    # Divisive: some opinion groups want these, the others reject them.
    _s(
        "en",
        _P,
        "baltic-secure-systems",
        (
            "Latin American and Caribbean countries should adopt the rules of the EU AI Act as "
            "they are, so that companies face one set of obligations on both sides of the Atlantic."
        ),
        "divisive",
    ),
    _s(
        "es",
        _P,
        "red-ciudadana-derechos-digitales",
        (
            "Los datos personales de la ciudadanía latinoamericana deberían guardarse en "
            "servidores ubicados en la región, aunque eso encarezca los servicios en la nube."
        ),
        "divisive",
    ),
    _s(
        "en",
        _O,
        "eib",
        (
            "Most of the EUR 145 million should go to large infrastructure such as cables and data "
            "centres, where private investors follow public money."
        ),
        "divisive",
    ),
    _s(
        "pt",
        _P,
        "laboratorio-atlantico-dados",
        (
            "A Aliança deveria exigir código aberto em todos os projetos que financia, mesmo "
            "quando um produto comercial pronto sai mais barato."
        ),
        "divisive",
    ),
    _s(
        "es",
        _E,
        "fondo-cordillera-impacto",
        (
            "El Acelerador Digital debería apoyar solo a startups que ya tienen inversores "
            "privados comprometidos, para no dispersar fondos públicos en proyectos que no "
            "escalarán."
        ),
        "divisive",
    ),
    # Ordinary: opinion groups lean different ways.
    _s(
        "en",
        _E,
        "geant",
        (
            "BELLA and the EllaLink cable, about 6,000 km long, should carry research traffic "
            "with guaranteed capacity for the next ten years, not only until the current grant "
            "ends."
        ),
    ),
    _s(
        "es",
        _P,
        "universidad-tecnologica-litoral-atlantico",
        (
            "Abrir becas de movilidad para que estudiantes de redes y ciencia de datos pasen un "
            "semestre en una red académica del otro continente."
        ),
    ),
    _s(
        "pt",
        _E,
        "vila-nova-do-mar-digital-services",
        (
            "Esperamos que os municípios pequenos possam copiar serviços públicos digitais já "
            "testados em outras cidades, sem pagar de novo pelo mesmo desenvolvimento."
        ),
    ),
    _s(
        "en",
        _O,
        "nordic-earth-imaging",
        (
            "Analysis-ready Copernicus data for farmers in Chile and Central America is a market "
            "European and Latin American firms could build together."
        ),
    ),
    _s(
        "es",
        _P,
        "consorcio-austral-datos-satelitales",
        (
            "Que el centro Copernicus de Chile entrene cada año a equipos de protección civil de "
            "toda Sudamérica en el uso de imágenes para incendios forestales."
        ),
    ),
    _s(
        "en",
        _P,
        "european-commission",
        (
            "Publish one shared catalogue of the Alliance's open calls, in English, Spanish and "
            "Portuguese, so that small organisations find them in time."
        ),
    ),
    _s(
        "es",
        _E,
        "san-isidro-del-valle-innovation",
        (
            "Los trámites en línea no deben cerrar las ventanillas: quien no tiene internet en "
            "casa tiene que poder seguir haciendo sus gestiones en persona."
        ),
    ),
    _s(
        "en",
        _O,
        "conecta-caribe",
        (
            "A regional exchange point in the Caribbean would keep local traffic local and cut "
            "what small island networks pay to reach each other."
        ),
    ),
    _s(
        "pt",
        _P,
        "instituto-amazonico-observacao-terra",
        (
            "Criar um programa de bolsas para que técnicos de prefeituras da Amazônia aprendam a "
            "ler imagens de satélite e a agir a partir delas."
        ),
    ),
    _s(
        "en",
        _P,
        "institut-atlantique-ia-confiance",
        (
            "Set up a joint register of the AI systems that public bodies in both regions use, "
            "with what each system decides and who answers for it."
        ),
    ),
    _s(
        "es",
        _P,
        "tierra-alta-state-modernisation",
        (
            "Acordar normas comunes para que la identidad digital de un país sea reconocida en "
            "los trámites de otro, empezando por los países del Mercosur y de la UE."
        ),
    ),
    _s(
        "en",
        _E,
        "tobago-bay-women-coders",
        (
            "At least half of the places in programmes funded by the Digital Accelerator should "
            "go to women and girls."
        ),
    ),
    _s(
        "es",
        _O,
        "alianza-pyme-digital-guatemala",
        (
            "El Acelerador Digital puede abrir a las pymes centroamericanas compradores europeos "
            "que hoy no saben que existen."
        ),
    ),
    _s(
        "en",
        _P,
        "dublin-civic-tech-collective",
        (
            "Pair a civic tech group in Europe with one in Latin America or the Caribbean for each "
            "open-source tool the Alliance funds, so that both can maintain it."
        ),
    ),
    _s(
        "pt",
        _E,
        "laboratorio-atlantico-dados",
        (
            "Esperamos que os dados oceânicos recolhidos ao longo do EllaLink fiquem abertos para "
            "investigadores dos dois lados do Atlântico."
        ),
    ),
    _s(
        "en",
        _P,
        "giz",
        (
            "Train civil servants to write tenders for digital services that avoid being locked "
            "into one supplier."
        ),
    ),
    _s(
        "es",
        _P,
        "aecid",
        (
            "Dedicar una parte de los fondos a conectar escuelas rurales y formar a sus docentes, "
            "no solo a llevar la fibra hasta la capital."
        ),
    ),
    _s(
        "en",
        _O,
        "vistula-impact-ventures",
        (
            "Co-investment funds with partners in both regions would let European investors back "
            "Latin American start-ups they could never assess on their own."
        ),
    ),
    _s(
        "es",
        _E,
        "cooperativa-digital-quisqueya",
        (
            "Las redes comunitarias deberían poder acceder a los fondos de la Alianza sin tener "
            "que asociarse con un gran operador."
        ),
    ),
    _s(
        "en",
        _P,
        "afd",
        (
            "Blend grants and loans so that rural fibre projects that banks find too small can "
            "still be built."
        ),
    ),
    _s(
        "es",
        _P,
        "caja-credito-digital-austral",
        (
            "Ofrecer garantías públicas a los bancos locales que prestan a cooperativas para "
            "desplegar fibra en zonas rurales."
        ),
    ),
    _s(
        "en",
        _E,
        "euro-latin-council-digital-standards",
        (
            "Data protection rules in both regions should be made compatible enough that a "
            "research project does not need two legal teams."
        ),
    ),
    _s(
        "pt",
        _O,
        "instituto-amazonico-observacao-terra",
        (
            "Alertas de desmatamento com inteligência artificial treinada em dados da Amazônia "
            "seriam uma contribuição da América Latina para o mundo, não só uma recepção de "
            "tecnologia."
        ),
    ),
    _s(
        "en",
        _P,
        "enabel",
        (
            "Measure every project funded by the Alliance by who uses the service a year later, "
            "not by how many people attended the launch."
        ),
    ),
    _s(
        "es",
        _E,
        "nodo-fintech-ecuatorial",
        (
            "Esperamos reglas claras y comunes para los pagos móviles, para que una cooperativa "
            "rural pueda cobrar y pagar sin depender de un banco lejano."
        ),
    ),
    _s(
        "en",
        _P,
        "valdoro-digital-transformation",
        (
            "Let municipalities of both regions share one sovereign cloud for public services, "
            "run under public law and audited every year."
        ),
    ),
    _s(
        "pt",
        _P,
        "vila-nova-do-mar-digital-services",
        (
            "Organizar geminações digitais entre cidades portuguesas e brasileiras para trocar "
            "código, métodos e erros dos seus serviços online."
        ),
    ),
    _s(
        "en",
        _E,
        "aegean-digital-skills-forum",
        (
            "Libraries are the place most people go when an online service fails them: the "
            "Alliance should train librarians first."
        ),
    ),
    _s(
        "es",
        _O,
        "eclac",
        (
            "Las estadísticas comparables de conectividad que produce la CEPAL permitirían medir "
            "si la Alianza reduce de verdad la brecha digital."
        ),
    ),
    _s(
        "en",
        _P,
        "bella",
        (
            "Open the BELLA network to hospitals and public laboratories for telemedicine and "
            "genomic research, not only to universities."
        ),
    ),
    _s(
        "es",
        _P,
        "red-ciudadana-derechos-digitales",
        (
            "Exigir que todo algoritmo público financiado por la Alianza tenga una evaluación de "
            "impacto publicada y un canal para reclamar."
        ),
    ),
    _s(
        "en",
        _O,
        "baltic-secure-systems",
        (
            "Digital signatures recognised in both regions would let companies sign contracts "
            "across the Atlantic in minutes instead of weeks."
        ),
    ),
    _s(
        "pt",
        _E,
        "instituto-amazonico-observacao-terra",
        (
            "Esperamos que a estratégia Copernicus regional inclua a Amazônia brasileira, não só "
            "os países que sediam os centros."
        ),
    ),
    _s(
        "en",
        _P,
        "aics",
        (
            "Run a yearly EU-LAC hackathon on open public data, with prizes paid as contracts to "
            "turn the winning prototypes into services."
        ),
    ),
    _s(
        "es",
        _E,
        "universidad-tecnologica-litoral-atlantico",
        (
            "Que los títulos y microcredenciales digitales se reconozcan en ambas regiones, para "
            "que la formación sirva también para trabajar al otro lado."
        ),
    ),
    _s(
        "en",
        _P,
        "european-commission",
        (
            "Give the Digital Accelerator a help desk in Spanish, Portuguese and English, so that "
            "start-ups outside the capitals can answer the challenges too."
        ),
    ),
    _s(
        "es",
        _P,
        "centro-istmeno-incidentes",
        (
            "Proteger los puertos y el canal de Panamá con un programa conjunto de "
            "ciberseguridad para infraestructuras críticas."
        ),
    ),
    _s(
        "en",
        _O,
        "nordic-earth-imaging",
        (
            "Galileo and Copernicus services together could make precision farming affordable "
            "for small producers in the Andes."
        ),
    ),
    _s(
        "pt",
        _P,
        "laboratorio-atlantico-dados",
        (
            "Medir e publicar a latência e a disponibilidade do BELLA mês a mês, para que "
            "qualquer um veja se a rede cumpre o prometido."
        ),
    ),
    _s(
        "en",
        _E,
        "dublin-civic-tech-collective",
        (
            "Civil society groups should be able to join working groups of the Alliance on the "
            "same terms as governments and companies."
        ),
    ),
    _s(
        "es",
        _O,
        "fondo-cordillera-impacto",
        (
            "La inversión de impacto europea puede llegar a startups andinas si el Acelerador "
            "reduce el costo de evaluarlas."
        ),
    ),
    _s(
        "en",
        _P,
        "institut-atlantique-ia-confiance",
        (
            "Build Spanish and Portuguese language models on public data of both regions, so that "
            "public services do not depend on models trained elsewhere."
        ),
    ),
    _s(
        "es",
        _P,
        "tierra-alta-state-modernisation",
        (
            "Formar a los funcionarios provinciales en gestión de datos antes de comprar nuevas "
            "plataformas: sin personas formadas, la tecnología se abandona."
        ),
    ),
    _s(
        "en",
        _E,
        "caribbean-digital-cooperation-secretariat",
        (
            "Cyber incidents in one island can take down shared services in many: the Caribbean "
            "needs a joint response team, funded for the long term."
        ),
    ),
    _s(
        "pt",
        _O,
        "vila-nova-do-mar-digital-services",
        (
            "A língua portuguesa liga Portugal, o Brasil e comunidades de todo o continente: "
            "serviços digitais feitos uma vez podem servir a todos."
        ),
    ),
    _s(
        "en",
        _P,
        "geant",
        (
            "Connect the two Copernicus centres in Panama and Chile to BELLA at high capacity, so "
            "that researchers in Europe and Latin America work on the same data."
        ),
    ),
    _s(
        "es",
        _E,
        "alianza-pyme-digital-guatemala",
        (
            "Que las convocatorias acepten propuestas pequeñas, de menos de 50 000 euros, para "
            "que las pymes puedan participar sin consultores."
        ),
    ),
    _s(
        "en",
        _O,
        "tobago-bay-women-coders",
        (
            "Remote work for European firms could keep young Caribbean developers at home instead "
            "of leaving the islands."
        ),
    ),
    _s(
        "es",
        _P,
        "cooperativa-digital-quisqueya",
        (
            "Reservar espectro y fondos para redes comunitarias en barrios y comunidades rurales "
            "que los operadores no atienden."
        ),
    ),
)

# A dialogue still collecting statements: a handful to start the conversation.
ACCELERATOR_STATEMENTS: tuple[DemoStatement, ...] = (
    _s(
        "en",
        _P,
        "european-commission",
        (
            "Post challenges from public services, such as hospital scheduling or land registries, "
            "not only from large companies."
        ),
    ),
    _s(
        "es",
        _E,
        "alianza-pyme-digital-guatemala",
        (
            "Esperamos que los desafíos se publiquen también en español y con plazos que una "
            "pyme pueda cumplir."
        ),
    ),
    _s(
        "es",
        _O,
        "nodo-fintech-ecuatorial",
        (
            "Los pagos instantáneos entre cooperativas rurales son un desafío que startups de "
            "ambas regiones ya saben resolver."
        ),
    ),
    _s(
        "pt",
        _P,
        "vila-nova-do-mar-digital-services",
        (
            "Os municípios também podem publicar desafios de serviços públicos e testar as "
            "soluções com os moradores antes de as comprar."
        ),
    ),
    _s(
        "en",
        _O,
        "nordic-earth-imaging",
        (
            "Earth observation challenges, like crop insurance from satellite data, suit teams "
            "that pair a European data firm with a Latin American agritech start-up."
        ),
    ),
    _s(
        "es",
        _P,
        "caja-credito-digital-austral",
        (
            "Incluir desafíos de financiación rural: cómo evaluar el crédito de una cooperativa "
            "sin historial bancario."
        ),
    ),
    _s(
        "en",
        _E,
        "tobago-bay-women-coders",
        (
            "We expect the Accelerator to count how many of the matched start-ups are led by "
            "women, and to publish it."
        ),
    ),
)

# Invented names, drawn by the language of the voter's organisation's country.
FIRST_NAMES = {
    "es": [
        "Lucía",
        "Mateo",
        "Valentina",
        "Santiago",
        "Camila",
        "Diego",
        "Daniela",
        "Andrés",
        "Sofía",
        "Javier",
        "Isabel",
        "Carlos",
        "Mariana",
        "Tomás",
        "Paula",
        "Gabriel",
    ],
    "pt": [
        "Ana",
        "João",
        "Beatriz",
        "Rafael",
        "Larissa",
        "Tiago",
        "Mariana",
        "Lucas",
        "Inês",
        "Pedro",
        "Fernanda",
        "Gustavo",
        "Clara",
        "Rodrigo",
    ],
    "fr": ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Antoine", "Manon", "Julien"],
    "en": [
        "Aoife",
        "Lars",
        "Elena",
        "Marco",
        "Katarzyna",
        "Jonas",
        "Sofia",
        "Niamh",
        "Kai",
        "Anneli",
        "Giulia",
        "Pieter",
        "Keisha",
        "Andre",
        "Shanice",
        "Marlon",
        "Nikos",
        "Eva",
    ],
}
SURNAMES = {
    "es": [
        "García",
        "Rodríguez",
        "Martínez",
        "López",
        "Fernández",
        "Pérez",
        "Gómez",
        "Sánchez",
        "Ramírez",
        "Torres",
        "Flores",
        "Morales",
        "Castro",
        "Vargas",
        "Herrera",
        "Mendoza",
    ],
    "pt": [
        "Silva",
        "Santos",
        "Oliveira",
        "Souza",
        "Costa",
        "Ferreira",
        "Almeida",
        "Ribeiro",
        "Carvalho",
        "Gomes",
        "Martins",
        "Rocha",
    ],
    "fr": ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Peeters", "Janssens"],
    "en": [
        "Murphy",
        "Jansen",
        "Rossi",
        "Nowak",
        "Virtanen",
        "Tamm",
        "Papadopoulos",
        "Schmidt",
        "Bianchi",
        "Kowalski",
        "Campbell",
        "Williams",
        "Charles",
        "Joseph",
        "Brown",
        "Müller",
    ],
}
