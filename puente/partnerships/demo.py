"""The EU-LAC demo: partnerships, organisations and one person per role, loaded idempotently.

Rows are looked up by slug or e-mail and created only when missing; nothing that exists is
changed. A link (membership, partnership member, facilitator) is created only when one of its
ends was created in the same run, so links that people removed stay removed.
"""

from collections import Counter
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from puente.accounts.models import User
from puente.accounts.services import totp_enable
from puente.core.choices import Region, StakeholderType, ThemeCode, region_for
from puente.core.models import Theme
from puente.core.registry import demo_loaders
from puente.notifications.services import notification_mail_muted
from puente.stakeholders.models import Membership, Organisation

from .models import Partnership, PartnershipJoinRequest, PartnershipMember

DEMO_PASSWORD = "puente-demo-2026"  # noqa: S105  # documented in the README on purpose
DEMO_ADMIN_TOTP_SECRET = "PUENTEDEMOADMINTOTPSECRET2345672"  # noqa: S105  # documented too
DEMO_ORGANISATION_NOTE = "(Demo organisation.)"

_T = ThemeCode
_S = StakeholderType


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation of the demo; real ones are verified, invented ones say they are demos."""

    slug: str
    name: str
    acronym: str
    stakeholder_type: StakeholderType
    country: str
    website: str
    summary: str
    themes: tuple[ThemeCode, ...]
    is_verified: bool = False
    also_known_as: str = ""

    @property
    def description(self) -> str:
        """Return the profile text, marking invented organisations as demo organisations."""
        if self.is_verified:
            return self.summary
        return f"{self.summary} {DEMO_ORGANISATION_NOTE}"


@dataclass(frozen=True)
class DemoPerson:
    """A demo account with the documented password and a verified primary e-mail address."""

    email: str
    name: str
    role: str
    preferred_language: str
    country: str
    time_zone: str
    is_platform_admin: bool = False
    memberships: tuple[tuple[str, Membership.Role, Membership.Status], ...] = ()


@dataclass(frozen=True)
class DemoPartnership:
    """A partnership space of the demo with its member organisations and facilitators."""

    slug: str
    title: str
    description: str
    visibility: Partnership.Visibility
    members: tuple[str, ...]
    facilitators: tuple[str, ...]
    regions: tuple[Region, ...] = (Region.EU, Region.LAC)


REAL_ORGANISATIONS = (
    DemoOrganisation(
        slug="eclac",
        name="United Nations Economic Commission for Latin America and the Caribbean",
        acronym="ECLAC",
        stakeholder_type=_S.INTERNATIONAL,
        country="CL",
        website="https://www.cepal.org/en",
        summary=(
            "One of the five regional commissions of the United Nations, based in Santiago "
            "de Chile. With the D4D Hub, it is the main platform for multi-stakeholder "
            "coordination in the EU-LAC Digital Alliance."
        ),
        themes=(_T.CONNECTIVITY, _T.E_GOVERNMENT, _T.DIGITAL_SKILLS, _T.DATA_PROTECTION),
        is_verified=True,
        # Its names in Spanish (Comisión Económica para América Latina y el Caribe).
        also_known_as="CEPAL, CEPALC",
    ),
    DemoOrganisation(
        slug="european-commission",
        name="European Commission",
        acronym="EC",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="BE",
        website="https://commission.europa.eu",
        summary="The executive body of the European Union, based in Brussels.",
        themes=(_T.CONNECTIVITY, _T.EARTH_OBSERVATION, _T.CYBERSECURITY, _T.DATA_PROTECTION),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="giz",
        name="Deutsche Gesellschaft für Internationale Zusammenarbeit",
        acronym="GIZ",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="DE",
        website="https://www.giz.de/en",
        summary="Germany's federal enterprise for international cooperation.",
        themes=(_T.DIGITAL_SKILLS, _T.E_GOVERNMENT),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="aecid",
        name="Agencia Española de Cooperación Internacional para el Desarrollo",
        acronym="AECID",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="ES",
        website="https://www.aecid.es",
        summary="Spain's agency for international development cooperation.",
        themes=(_T.E_GOVERNMENT, _T.DIGITAL_SKILLS),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="afd",
        name="Agence Française de Développement",
        acronym="AFD",
        stakeholder_type=_S.FINANCING,
        country="FR",
        website="https://www.afd.fr/en",
        summary="France's public development bank.",
        themes=(_T.CONNECTIVITY, _T.INNOVATION),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="enabel",
        name="Enabel",
        acronym="Enabel",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="BE",
        website="https://www.enabel.be",
        summary="Belgium's development agency.",
        themes=(_T.DIGITAL_SKILLS, _T.E_GOVERNMENT),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="aics",
        name="Agenzia Italiana per la Cooperazione allo Sviluppo",
        acronym="AICS",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="IT",
        website="https://www.aics.gov.it",
        summary="Italy's agency for development cooperation.",
        themes=(_T.DIGITAL_SKILLS,),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="eib",
        name="European Investment Bank",
        acronym="EIB",
        stakeholder_type=_S.FINANCING,
        country="LU",
        website="https://www.eib.org",
        summary="The lending institution of the European Union, based in Luxembourg.",
        themes=(_T.CONNECTIVITY, _T.INNOVATION),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="redclara",
        name="Cooperación Latino Americana de Redes Avanzadas",
        acronym="RedCLARA",
        stakeholder_type=_S.ACADEMIA,
        country="UY",
        website="https://www.redclara.net",
        summary=(
            "The regional advanced network that links the national research and education "
            "networks of Latin America."
        ),
        themes=(_T.CONNECTIVITY, _T.DIGITAL_SKILLS),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="geant",
        name="GÉANT",
        acronym="GÉANT",
        stakeholder_type=_S.ACADEMIA,
        country="NL",
        website="https://geant.org",
        summary=(
            "The collaboration of Europe's national research and education networks, which "
            "runs the pan-European GÉANT network."
        ),
        themes=(_T.CONNECTIVITY, _T.CYBERSECURITY),
        is_verified=True,
    ),
    DemoOrganisation(
        slug="bella",
        name="BELLA Programme (Building the Europe Link with Latin America)",
        acronym="BELLA",
        stakeholder_type=_S.ACADEMIA,
        country="UY",
        website="https://bella-programme.eu",
        summary=(
            "Programme that connects the research and education networks of Europe and Latin "
            "America through a direct submarine cable and terrestrial fibre. Extending the "
            "BELLA cable is one of the Global Gateway initiatives that the EU-LAC Digital "
            "Alliance supports."
        ),
        themes=(_T.CONNECTIVITY,),
        is_verified=True,
    ),
)

INVENTED_ORGANISATIONS = (
    # Latin America and the Caribbean
    DemoOrganisation(
        slug="san-isidro-del-valle-innovation",
        name="Secretaría Municipal de Innovación de San Isidro del Valle",
        acronym="SMI-SIV",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="CR",
        website="https://innovacion.sanisidrodelvalle.example",
        summary=(
            "Municipal office that moves permits, payments and appointments online and keeps "
            "paper counters open for residents who need them."
        ),
        themes=(_T.E_GOVERNMENT, _T.DATA_PROTECTION),
    ),
    DemoOrganisation(
        slug="tierra-alta-state-modernisation",
        name="Instituto Provincial de Modernización del Estado de Tierra Alta",
        acronym="IPME",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="AR",
        website="https://ipme.tierraalta.example",
        summary=(
            "Provincial institute that runs the digital identity service and trains civil "
            "servants in data management."
        ),
        themes=(_T.E_GOVERNMENT, _T.DIGITAL_SKILLS),
    ),
    DemoOrganisation(
        slug="centro-istmeno-incidentes",
        name="Centro Istmeño de Respuesta a Incidentes Informáticos",
        acronym="CIRII",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="PA",
        website="https://cirii.example",
        summary=(
            "Public incident-response team that coordinates with hospitals, ports and "
            "utilities when their systems come under attack."
        ),
        themes=(_T.CYBERSECURITY,),
    ),
    DemoOrganisation(
        slug="conecta-caribe",
        name="Conecta Caribe Telecom",
        acronym="CCT",
        stakeholder_type=_S.PRIVATE_SECTOR,
        country="JM",
        website="https://conectacaribe.example",
        summary=(
            "Wholesale carrier that links small island networks to regional landing stations."
        ),
        themes=(_T.CONNECTIVITY,),
    ),
    DemoOrganisation(
        slug="alianza-pyme-digital-guatemala",
        name="Alianza Pyme Digital Guatemala",
        acronym="APDG",
        stakeholder_type=_S.PRIVATE_SECTOR,
        country="GT",
        website="https://pymedigital-gt.example",
        summary=(
            "Association of small firms that share e-commerce tools and payment integrations."
        ),
        themes=(_T.INNOVATION, _T.DIGITAL_SKILLS),
    ),
    DemoOrganisation(
        slug="nodo-fintech-ecuatorial",
        name="Nodo Fintech Ecuatorial",
        acronym="NFE",
        stakeholder_type=_S.PRIVATE_SECTOR,
        country="EC",
        website="https://nodofintech.example",
        summary="Start-up studio that builds mobile payment services for rural cooperatives.",
        themes=(_T.INNOVATION, _T.ARTIFICIAL_INTELLIGENCE),
    ),
    DemoOrganisation(
        slug="red-ciudadana-derechos-digitales",
        name="Red Ciudadana por los Derechos Digitales",
        acronym="RCDD",
        stakeholder_type=_S.CIVIL_SOCIETY,
        country="MX",
        website="https://rcdd.example",
        summary=(
            "Citizen network that reviews public algorithms and runs privacy clinics for "
            "journalists and community radios."
        ),
        themes=(_T.DATA_PROTECTION, _T.ARTIFICIAL_INTELLIGENCE),
    ),
    DemoOrganisation(
        slug="cooperativa-digital-quisqueya",
        name="Cooperativa Digital Quisqueya",
        acronym="CDQ",
        stakeholder_type=_S.CIVIL_SOCIETY,
        country="DO",
        website="https://quisqueya-digital.example",
        summary="Community cooperative that runs neighbourhood Wi-Fi and digital skills courses.",
        themes=(_T.CONNECTIVITY, _T.DIGITAL_SKILLS),
    ),
    DemoOrganisation(
        slug="tobago-bay-women-coders",
        name="Tobago Bay Women Coders Collective",
        acronym="TBWCC",
        stakeholder_type=_S.CIVIL_SOCIETY,
        country="TT",
        website="https://tbwcc.example",
        summary="Volunteer collective that mentors women and girls entering software careers.",
        themes=(_T.DIGITAL_SKILLS, _T.INNOVATION),
    ),
    DemoOrganisation(
        slug="instituto-amazonico-observacao-terra",
        name="Instituto Amazônico de Observação da Terra",
        acronym="IAOT",
        stakeholder_type=_S.ACADEMIA,
        country="BR",
        website="https://iaot.example",
        summary=(
            "Research institute that turns satellite imagery into deforestation and flood "
            "alerts for municipalities."
        ),
        themes=(_T.EARTH_OBSERVATION, _T.ARTIFICIAL_INTELLIGENCE),
    ),
    DemoOrganisation(
        slug="universidad-tecnologica-litoral-atlantico",
        name="Universidad Tecnológica del Litoral Atlántico",
        acronym="UTLA",
        stakeholder_type=_S.ACADEMIA,
        country="UY",
        website="https://utla.example",
        summary="Public university with degrees in networking, data science and software.",
        themes=(_T.DIGITAL_SKILLS, _T.CONNECTIVITY),
    ),
    DemoOrganisation(
        slug="consorcio-austral-datos-satelitales",
        name="Consorcio Austral de Datos Satelitales",
        acronym="CADS",
        stakeholder_type=_S.ACADEMIA,
        country="CL",
        website="https://cads.example",
        summary=(
            "University consortium that processes Earth observation data for agriculture "
            "and wildfire monitoring."
        ),
        themes=(_T.EARTH_OBSERVATION,),
    ),
    DemoOrganisation(
        slug="caribbean-digital-cooperation-secretariat",
        name="Caribbean Digital Cooperation Secretariat",
        acronym="CDCS",
        stakeholder_type=_S.INTERNATIONAL,
        country="BB",
        website="https://cdcs.example",
        summary=(
            "Intergovernmental secretariat that helps small island states align their "
            "digital regulation."
        ),
        themes=(_T.E_GOVERNMENT, _T.CYBERSECURITY, _T.DATA_PROTECTION),
    ),
    DemoOrganisation(
        slug="fondo-cordillera-impacto",
        name="Fondo Cordillera de Inversión de Impacto",
        acronym="FCII",
        stakeholder_type=_S.FINANCING,
        country="CO",
        website="https://fondocordillera.example",
        summary="Impact investment fund for digital start-ups in the Andean countries.",
        themes=(_T.INNOVATION,),
    ),
    DemoOrganisation(
        slug="caja-credito-digital-austral",
        name="Caja de Crédito Digital Austral",
        acronym="CCDA",
        stakeholder_type=_S.FINANCING,
        country="AR",
        website="https://cajaaustral.example",
        summary="Development lender that finances rural fibre and community networks.",
        themes=(_T.CONNECTIVITY,),
    ),
    # European Union
    DemoOrganisation(
        slug="vila-nova-do-mar-digital-services",
        name="Agência Municipal de Serviços Digitais de Vila Nova do Mar",
        acronym="AMSD",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="PT",
        website="https://servicos.vilanovadomar.example",
        summary="Municipal agency that designs online public services together with residents.",
        themes=(_T.E_GOVERNMENT,),
    ),
    DemoOrganisation(
        slug="valdoro-digital-transformation",
        name="Agenzia Regionale per la Trasformazione Digitale di Valdoro",
        acronym="ARTD",
        stakeholder_type=_S.PUBLIC_SECTOR,
        country="IT",
        website="https://artd.valdoro.example",
        summary="Regional agency that runs a shared cloud for the municipalities of its region.",
        themes=(_T.E_GOVERNMENT, _T.CYBERSECURITY),
    ),
    DemoOrganisation(
        slug="baltic-secure-systems",
        name="Baltic Secure Systems",
        acronym="BSS",
        stakeholder_type=_S.PRIVATE_SECTOR,
        country="EE",
        website="https://balticsecure.example",
        summary="Software company that builds secure digital identity and signature services.",
        themes=(_T.CYBERSECURITY, _T.E_GOVERNMENT),
    ),
    DemoOrganisation(
        slug="nordic-earth-imaging",
        name="Nordic Earth Imaging",
        acronym="NEI",
        stakeholder_type=_S.PRIVATE_SECTOR,
        country="FI",
        website="https://nordicearth.example",
        summary="Company that sells analysis-ready satellite data products.",
        themes=(_T.EARTH_OBSERVATION, _T.ARTIFICIAL_INTELLIGENCE),
    ),
    DemoOrganisation(
        slug="fundacion-alfabeto-digital-iberico",
        name="Fundación Alfabeto Digital Ibérico",
        acronym="FADI",
        stakeholder_type=_S.CIVIL_SOCIETY,
        country="ES",
        website="https://alfabetodigital.example",
        summary="Foundation that teaches older people to use online public services safely.",
        themes=(_T.DIGITAL_SKILLS, _T.DATA_PROTECTION),
    ),
    DemoOrganisation(
        slug="dublin-civic-tech-collective",
        name="Dublin Civic Tech Collective",
        acronym="DCTC",
        stakeholder_type=_S.CIVIL_SOCIETY,
        country="IE",
        website="https://dublincivictech.example",
        summary="Volunteers who build open-source tools for local councils and charities.",
        themes=(_T.E_GOVERNMENT, _T.INNOVATION),
    ),
    DemoOrganisation(
        slug="aegean-digital-skills-forum",
        name="Aegean Digital Skills Forum",
        acronym="ADSF",
        stakeholder_type=_S.CIVIL_SOCIETY,
        country="GR",
        website="https://aegeanskills.example",
        summary="Network of teachers and libraries that runs coding clubs on the islands.",
        themes=(_T.DIGITAL_SKILLS,),
    ),
    DemoOrganisation(
        slug="institut-atlantique-ia-confiance",
        name="Institut Atlantique pour l'IA de confiance",
        acronym="IAIC",
        stakeholder_type=_S.ACADEMIA,
        country="FR",
        website="https://iaic.example",
        summary=("Research institute that studies how to audit AI systems used by public bodies."),
        themes=(_T.ARTIFICIAL_INTELLIGENCE, _T.DATA_PROTECTION),
    ),
    DemoOrganisation(
        slug="laboratorio-atlantico-dados",
        name="Laboratório Atlântico de Dados",
        acronym="LAD",
        stakeholder_type=_S.ACADEMIA,
        country="PT",
        website="https://lad.example",
        summary="University lab that studies ocean data and transatlantic network latency.",
        themes=(_T.CONNECTIVITY, _T.EARTH_OBSERVATION),
    ),
    DemoOrganisation(
        slug="euro-latin-council-digital-standards",
        name="Euro-Latin Council for Digital Standards",
        acronym="ELCDS",
        stakeholder_type=_S.INTERNATIONAL,
        country="BE",
        website="https://elcds.example",
        summary=(
            "Intergovernmental body where standards agencies of both regions compare rules "
            "on data and interoperability."
        ),
        themes=(_T.DATA_PROTECTION, _T.E_GOVERNMENT),
    ),
    DemoOrganisation(
        slug="vistula-impact-ventures",
        name="Vistula Impact Ventures",
        acronym="VIV",
        stakeholder_type=_S.FINANCING,
        country="PL",
        website="https://vistulaimpact.example",
        summary="Venture fund that co-invests with Latin American funds in digital start-ups.",
        themes=(_T.INNOVATION, _T.ARTIFICIAL_INTELLIGENCE),
    ),
)

ORGANISATIONS = REAL_ORGANISATIONS + INVENTED_ORGANISATIONS

_ADMIN = Membership.Role.ADMIN
_MEMBER = Membership.Role.MEMBER
_ACTIVE = Membership.Status.ACTIVE
_PENDING = Membership.Status.PENDING

PEOPLE = (
    DemoPerson(
        email="admin@demo.puente.example",
        name="Anneke de Vries",
        role="platform admin",
        preferred_language="en",
        country="NL",
        time_zone="Europe/Amsterdam",
        is_platform_admin=True,
    ),
    DemoPerson(
        email="facilitator@demo.puente.example",
        name="Valentina Rojas Pizarro",
        role="facilitator",
        preferred_language="es",
        country="CL",
        time_zone="America/Santiago",
    ),
    DemoPerson(
        email="orgadmin@demo.puente.example",
        name="João Pedro Carvalho",
        role="organisation admin",
        preferred_language="pt-br",
        country="BR",
        time_zone="America/Sao_Paulo",
        memberships=(("instituto-amazonico-observacao-terra", _ADMIN, _ACTIVE),),
    ),
    DemoPerson(
        email="participant@demo.puente.example",
        name="Aminata Diallo",
        role="participant",
        preferred_language="fr",
        country="FR",
        time_zone="Europe/Paris",
        memberships=(("institut-atlantique-ia-confiance", _MEMBER, _ACTIVE),),
    ),
    DemoPerson(
        email="applicant@demo.puente.example",
        name="Kwame Thompson",
        role="applicant",
        preferred_language="en",
        country="JM",
        time_zone="America/Jamaica",
        memberships=(("instituto-amazonico-observacao-terra", _MEMBER, _PENDING),),
    ),
)

# The organisation the demo organisation admin registered: its creator is its admin.
CREATED_BY = {"instituto-amazonico-observacao-terra": "orgadmin@demo.puente.example"}

_EVERYONE = tuple(organisation.slug for organisation in ORGANISATIONS)

PARTNERSHIPS = (
    DemoPartnership(
        slug="eu-lac-digital-alliance",
        title="EU-LAC Digital Alliance",
        visibility=Partnership.Visibility.PUBLIC,
        description=(
            "Launched in March 2023, the EU-LAC Digital Alliance is the first regional "
            "digital partnership between the European Union and the countries of Latin "
            "America and the Caribbean. Team Europe backed it from the start with an initial "
            "EUR 145 million. Working from shared values, the Alliance aims at digital "
            "infrastructure that is secure, resilient and centred on people.\n\n"
            "It supports several Global Gateway initiatives:\n"
            "- extending the BELLA fibre-optic cable, a secure digital backbone that also "
            "brings the research communities of both regions closer;\n"
            "- a regional Copernicus strategy, with two regional Copernicus data centres, one "
            "in Panama and one in Chile;\n"
            "- the EU-LAC Digital Accelerator, which helps public, private and civil actors "
            "work together on competitiveness, skills and innovation, promotes impact "
            "investment and supports the delivery of e-services.\n\n"
            "The D4D Hub and the UN Economic Commission for Latin America and the Caribbean "
            "(ECLAC) together are the Alliance's main platform for multi-stakeholder "
            "coordination."
        ),
        members=_EVERYONE,
        facilitators=("facilitator@demo.puente.example",),
    ),
    DemoPartnership(
        slug="d4d-hub-lac",
        title="D4D Hub — Latin America and the Caribbean",
        visibility=Partnership.Visibility.PUBLIC,
        description=(
            "The Digital for Development (D4D) Hub has been active in Latin America and the "
            "Caribbean since December 2021. It gives stakeholders from both regions a place "
            "to talk openly about what they expect from digital cooperation, to spot "
            "opportunities and to agree on joint priorities.\n\n"
            "Together with ECLAC, the Hub is the main coordination platform of the EU-LAC "
            "Digital Alliance, and a key instrument for delivering EU-LAC digital "
            "cooperation under the Global Gateway."
        ),
        members=(
            "eclac",
            "european-commission",
            "giz",
            "aecid",
            "afd",
            "enabel",
            "eib",
            "redclara",
            "geant",
            "san-isidro-del-valle-innovation",
            "centro-istmeno-incidentes",
            "conecta-caribe",
            "nodo-fintech-ecuatorial",
            "red-ciudadana-derechos-digitales",
            "tobago-bay-women-coders",
            "instituto-amazonico-observacao-terra",
            "universidad-tecnologica-litoral-atlantico",
            "caribbean-digital-cooperation-secretariat",
            "fondo-cordillera-impacto",
            "vila-nova-do-mar-digital-services",
            "baltic-secure-systems",
            "fundacion-alfabeto-digital-iberico",
            "dublin-civic-tech-collective",
            "institut-atlantique-ia-confiance",
            "euro-latin-council-digital-standards",
            "vistula-impact-ventures",
        ),
        facilitators=("facilitator@demo.puente.example",),
    ),
    DemoPartnership(
        slug="copernicus-lac-working-group",
        title="Copernicus LAC Working Group",
        visibility=Partnership.Visibility.MEMBERS,
        description=(
            "A members-only space where organisations following the regional Copernicus "
            "strategy compare notes on the two regional data centres, in Panama and in "
            "Chile, and on putting Earth observation data to use. Only people in member "
            "organisations and facilitators can see it. (Demo working group.)"
        ),
        members=(
            "european-commission",
            "eclac",
            "instituto-amazonico-observacao-terra",
            "consorcio-austral-datos-satelitales",
            "centro-istmeno-incidentes",
            "nordic-earth-imaging",
            "laboratorio-atlantico-dados",
        ),
        facilitators=("facilitator@demo.puente.example",),
    ),
)


# Translations of some descriptions, as their editors could have added them in the pages.
# An invented organisation's translation carries the demo note in its language too.
ORGANISATION_TRANSLATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "eclac": (
        (
            "es",
            "Una de las cinco comisiones regionales de las Naciones Unidas, con sede en "
            "Santiago de Chile. Junto con el D4D Hub, es la principal plataforma de "
            "coordinación entre múltiples actores de la Alianza Digital UE-ALC.",
        ),
        (
            "pt-br",
            "Uma das cinco comissões regionais das Nações Unidas, com sede em Santiago do "
            "Chile. Com o D4D Hub, é a principal plataforma de coordenação entre múltiplos "
            "atores da Aliança Digital UE-ALC.",
        ),
    ),
    "bella": (
        (
            "es",
            "Programa que conecta las redes de investigación y educación de Europa y América "
            "Latina mediante un cable submarino directo y fibra terrestre. La extensión del "
            "cable BELLA es una de las iniciativas Global Gateway que apoya la Alianza "
            "Digital UE-ALC.",
        ),
    ),
    "san-isidro-del-valle-innovation": (
        (
            "es",
            "Oficina municipal que lleva a internet los permisos, los pagos y las citas, y "
            "mantiene abiertas las ventanillas en papel para quienes las necesitan. "
            "(Organización de demostración.)",
        ),
    ),
    "instituto-amazonico-observacao-terra": (
        (
            "pt-br",
            "Instituto de pesquisa que transforma imagens de satélite em alertas de "
            "desmatamento e de enchentes para os municípios. (Organização de demonstração.)",
        ),
    ),
}
PARTNERSHIP_TRANSLATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "d4d-hub-lac": (
        (
            "es",
            "El Digital for Development (D4D) Hub está activo en América Latina y el Caribe "
            "desde diciembre de 2021. Ofrece a los actores de ambas regiones un lugar para "
            "hablar abiertamente de lo que esperan de la cooperación digital, detectar "
            "oportunidades y acordar prioridades comunes.\n\n"
            "Junto con la CEPAL, el Hub es la principal plataforma de coordinación de la "
            "Alianza Digital UE-ALC y un instrumento clave para llevar a cabo la cooperación "
            "digital UE-ALC en el marco de Global Gateway.",
        ),
        (
            "pt",
            "O Digital for Development (D4D) Hub está ativo na América Latina e nas Caraíbas "
            "desde dezembro de 2021. Dá aos atores das duas regiões um espaço para falarem "
            "abertamente sobre o que esperam da cooperação digital, identificarem "
            "oportunidades e acordarem prioridades comuns.\n\n"
            "Com a CEPAL, o Hub é a principal plataforma de coordenação da Aliança Digital "
            "UE-ALC e um instrumento essencial da cooperação digital UE-ALC no quadro do "
            "Global Gateway.",
        ),
    ),
    "copernicus-lac-working-group": (
        (
            "es",
            "Un espacio solo para miembros donde las organizaciones que siguen la estrategia "
            "regional de Copernicus comparan experiencias sobre los dos centros regionales "
            "de datos, en Panamá y en Chile, y sobre el uso de los datos de observación de la "
            "Tierra. Solo lo ven las personas de las organizaciones miembro y quienes lo "
            "facilitan. (Grupo de trabajo de demostración.)",
        ),
    ),
}


@dataclass
class DemoLoadReport:
    """What a load created and what it found already there, by kind of row."""

    created: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """Return one line per kind: how many were created and how many kept."""
        kinds = list(dict.fromkeys([*self.created, *self.kept]))
        return "\n".join(
            f"{kind}: {self.created[kind]} created, {self.kept[kind]} kept" for kind in kinds
        )


def _organisation_load(
    seed: DemoOrganisation, people: dict[str, User], report: DemoLoadReport
) -> tuple[Organisation, bool]:
    existing = Organisation.objects.filter(Q(slug=seed.slug) | Q(name__iexact=seed.name)).first()
    if existing is not None:
        report.kept["organisations"] += 1
        if seed.also_known_as and not existing.also_known_as:
            # A demo loaded before organisations had other names gets them (ECLAC: CEPAL).
            Organisation.objects.filter(pk=existing.pk).update(also_known_as=seed.also_known_as)
        return existing, False
    # The creator's admin membership is one of the PEOPLE memberships, created below.
    creator = people.get(CREATED_BY.get(seed.slug, ""))
    organisation = Organisation(
        slug=seed.slug,
        name=seed.name,
        acronym=seed.acronym,
        also_known_as=seed.also_known_as,
        stakeholder_type=seed.stakeholder_type,
        region=region_for(seed.country),
        country=seed.country,
        website=seed.website,
        description=seed.description,
        is_verified=seed.is_verified,
        created_by=creator,
    )
    organisation.full_clean(exclude=["logo"])
    organisation.save()
    organisation.themes.set(Theme.objects.filter(code__in=seed.themes))
    report.created["organisations"] += 1
    return organisation, True


def _person_load(seed: DemoPerson, report: DemoLoadReport) -> tuple[User, bool]:
    existing = User.objects.filter(email__iexact=seed.email).first()
    if existing is not None:
        report.kept["people"] += 1
        return existing, False
    person = User(
        email=seed.email,
        name=seed.name,
        preferred_language=seed.preferred_language,
        country=seed.country,
        time_zone=seed.time_zone,
        is_staff=seed.is_platform_admin,
        is_superuser=seed.is_platform_admin,
    )
    person.set_password(DEMO_PASSWORD)
    person.full_clean(exclude=["password"])
    person.save()
    EmailAddress.objects.create(user=person, email=seed.email, verified=True, primary=True)
    if seed.is_platform_admin:
        totp_enable(person=person, secret=DEMO_ADMIN_TOTP_SECRET)
    report.created["people"] += 1
    return person, True


def _link(kind: str, exists: bool, may_create: bool, report: DemoLoadReport) -> bool:
    """Count an existing link as kept; say whether a missing one should be created."""
    if exists:
        report.kept[kind] += 1
        return False
    if may_create:
        report.created[kind] += 1
    return may_create


def _partnership_load(
    seed: DemoPartnership,
    admin: User,
    people: dict[str, User],
    new_people: set[str],
    organisations: dict[str, Organisation],
    new_organisations: set[str],
    report: DemoLoadReport,
) -> tuple[Partnership, bool]:
    partnership = Partnership.objects.filter(
        Q(slug=seed.slug) | Q(title__iexact=seed.title)
    ).first()
    is_new = partnership is None
    if partnership is None:
        partnership = Partnership(
            slug=seed.slug,
            title=seed.title,
            description=seed.description,
            regions=[region.value for region in seed.regions],
            visibility=seed.visibility,
            created_by=admin,
        )
        partnership.full_clean()
        partnership.save()
        report.created["partnerships"] += 1
    else:
        report.kept["partnerships"] += 1

    linked = set(
        PartnershipMember.objects.filter(partnership=partnership).values_list(
            "organisation_id", flat=True
        )
    )
    for slug in seed.members:
        organisation = organisations[slug]
        may_create = is_new or slug in new_organisations
        if _link("partnership members", organisation.pk in linked, may_create, report):
            PartnershipMember.objects.create(partnership=partnership, organisation=organisation)

    facilitating = set(partnership.facilitators.values_list("pk", flat=True))
    for email in seed.facilitators:
        person = people[email]
        may_create = is_new or email in new_people
        if _link("facilitators", person.pk in facilitating, may_create, report):
            partnership.facilitators.add(person)
    return partnership, is_new


# (partnership, organisation, message): requests to join waiting for the facilitator.
JOIN_REQUESTS = (
    (
        "copernicus-lac-working-group",
        "universidad-tecnologica-litoral-atlantico",
        "Our remote-sensing group works with Sentinel data on the Atlantic coast and would "
        "like to compare notes on the regional data centres. (Demo request.)",
    ),
)


def _join_requests_load(
    partnerships: dict[str, tuple[Partnership, bool]],
    organisations: dict[str, Organisation],
    new_organisations: set[str],
    report: DemoLoadReport,
) -> None:
    for partnership_slug, organisation_slug, message in JOIN_REQUESTS:
        partnership, is_new = partnerships[partnership_slug]
        organisation = organisations[organisation_slug]
        # Any request, decided or not, or a membership since: the demo asked once already.
        exists = (
            PartnershipJoinRequest.objects.filter(
                partnership=partnership, organisation=organisation
            ).exists()
            or PartnershipMember.objects.filter(
                partnership=partnership, organisation=organisation
            ).exists()
        )
        may_create = is_new or organisation_slug in new_organisations
        if _link("partnership join requests", exists, may_create, report):
            PartnershipJoinRequest.objects.create(
                partnership=partnership, organisation=organisation, message=message
            )


def _translations_add(
    owner: Organisation | Partnership,
    description: str,
    translations: tuple[tuple[str, str], ...],
    admin: User,
    report: DemoLoadReport,
) -> None:
    """Add the missing translations, unless someone rewrote the description they translate."""
    if owner.description != description:
        return
    existing = set(owner.translations.values_list("language", flat=True))
    for language, text in translations:
        if language in existing or language == owner.description_language:
            report.kept["description translations"] += 1
            continue
        owner.translations.create(language=language, description=text, translated_by=admin)
        report.created["description translations"] += 1


def _translations_load(admin: User, report: DemoLoadReport) -> None:
    """Add the demo's translations of descriptions that are missing."""
    for organisation_seed in ORGANISATIONS:
        found = ORGANISATION_TRANSLATIONS.get(organisation_seed.slug, ())
        organisation = found and Organisation.objects.filter(slug=organisation_seed.slug).first()
        if organisation:
            _translations_add(organisation, organisation_seed.description, found, admin, report)
    for partnership_seed in PARTNERSHIPS:
        found = PARTNERSHIP_TRANSLATIONS.get(partnership_seed.slug, ())
        partnership = found and Partnership.objects.filter(slug=partnership_seed.slug).first()
        if partnership:
            _translations_add(partnership, partnership_seed.description, found, admin, report)


@transaction.atomic
def demo_load() -> DemoLoadReport:
    """Load the EU-LAC demo, creating only what is missing and changing nothing that exists.

    What the demo's events tell its made-up people shows in the app but is not mailed: a
    first ``make run`` would otherwise print hundreds of mails to the console.
    """
    with notification_mail_muted():
        return _demo_load()


def _demo_load() -> DemoLoadReport:
    report = DemoLoadReport()
    people: dict[str, User] = {}
    new_people: set[str] = set()
    for person_seed in PEOPLE:
        person, created = _person_load(person_seed, report)
        people[person_seed.email] = person
        if created:
            new_people.add(person_seed.email)

    organisations: dict[str, Organisation] = {}
    new_organisations: set[str] = set()
    for organisation_seed in ORGANISATIONS:
        organisation, created = _organisation_load(organisation_seed, people, report)
        organisations[organisation_seed.slug] = organisation
        if created:
            new_organisations.add(organisation_seed.slug)

    for person_seed in PEOPLE:
        person = people[person_seed.email]
        for slug, role, status in person_seed.memberships:
            organisation = organisations[slug]
            exists = Membership.objects.filter(person=person, organisation=organisation).exists()
            may_create = person_seed.email in new_people or slug in new_organisations
            if _link("organisation memberships", exists, may_create, report):
                Membership.objects.create(
                    person=person,
                    organisation=organisation,
                    role=role,
                    status=status,
                    decided_at=timezone.now() if status == _ACTIVE else None,
                )

    admin = next(people[seed.email] for seed in PEOPLE if seed.is_platform_admin)
    partnerships = {
        partnership_seed.slug: _partnership_load(
            partnership_seed, admin, people, new_people, organisations, new_organisations, report
        )
        for partnership_seed in PARTNERSHIPS
    }
    _join_requests_load(partnerships, organisations, new_organisations, report)
    _translations_load(admin, report)
    for _name, loader in demo_loaders():
        loader(report=report)
    return report
