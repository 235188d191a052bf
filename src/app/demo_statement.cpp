#include "app/demo_statement.hpp"

#include <stdexcept>
#include <string>

namespace coalition::app {
namespace {

struct DemoText {
    const char* language;
    const char* markdown;  // The title is its first heading.
};

// Dates and resolution numbers from shared/data/governance/processes.json and the coalition's
// context in organisations.json (announced April 2024; launched at IGF 2024 in Riyadh).
constexpr const char* kEnglish = R"md(# Statement of Purpose

We are a coalition of organisations from the internet's technical community. Our founding
members — **Nominet** (.uk), **auDA** (.au), **CIRA** (.ca) and **InternetNZ** (.nz) — run
country-code top-level domains in the public interest. We came together in April 2024 to defend
the multistakeholder model of internet governance, and to make it work better for everyone.

## Why we speak up

The internet works because no single government, company or organisation runs it. Names,
numbers and protocols are coordinated through open, bottom-up processes in which governments,
businesses, civil society, academia and the technical community each play their part.

That model is being renegotiated. The **Global Digital Compact** was adopted on 22 September 2024
as an annex to the Pact for the Future. The twenty-year review of the World Summit on the
Information Society (**WSIS+20**) ended with a high-level meeting of the UN General Assembly on
16–17 December 2025, whose outcome (A/RES/80/173) made the **Internet Governance Forum**
permanent. How these decisions are carried out will shape the internet for the next twenty
years, and the people who build and run it must be in the room.

## What we believe

- The internet should remain one network: open, interoperable, secure and resilient.
- Decisions about how it is run belong in inclusive processes where every stakeholder group can
  take part on equal terms, not only in intergovernmental negotiations.
- Technical coordination works best when it stays with the bodies that do it today, accountable
  to the communities they serve.
- The multistakeholder model is not finished: it must become more diverse, more transparent and
  easier to join, above all for people from developing countries.

## Our objectives

1. Keep the follow-up to WSIS+20 and the implementation of the Global Digital Compact open to all
   stakeholders.
2. Support a strong and well-resourced IGF under its permanent mandate, together with the
   national and regional IGFs.
3. Bring technical knowledge to policy debates: explain how the domain name system, IP addressing
   and internet standards work, and what proposals would change in practice.
4. Improve the model itself, drawing on the São Paulo Multistakeholder Guidelines agreed at
   NETmundial+10 in April 2024.
5. Prepare joint responses to consultations, so that the technical community speaks with a
   clear voice.
6. Follow the processes that matter — the IGF, WSIS, ICANN and the ITU Plenipotentiary
   Conference in Doha in November 2026 — and tell our members when to act.

## How we work

We are an informal coalition. We decide by consensus, publish our positions, and work in the
open. Membership is open to organisations of the internet's technical community that share these
aims.

## Sign this statement

Organisations and individuals who agree with this statement are invited to sign it. Each
signature records the version signed, so you always know which text you stood behind.
)md";

constexpr const char* kFrench = R"md(# Déclaration d'intention

Nous sommes une coalition d'organisations de la communauté technique de l'internet. Nos membres
fondateurs — **Nominet** (.uk), **auDA** (.au), **CIRA** (.ca) et **InternetNZ** (.nz) — gèrent
des domaines de premier niveau nationaux dans l'intérêt public. Nous nous sommes réunis en avril
2024 pour défendre le modèle multipartite de gouvernance de l'internet et l'améliorer au bénéfice
de toutes et de tous.

## Pourquoi nous prenons la parole

L'internet fonctionne parce qu'aucun gouvernement, aucune entreprise ni aucune organisation ne le
dirige seul. Les noms, les adresses et les protocoles sont coordonnés par des processus ouverts et
ascendants, auxquels participent les gouvernements, les entreprises, la société civile, le monde
universitaire et la communauté technique.

Ce modèle est en cours de renégociation. Le **Pacte numérique mondial** a été adopté le
22 septembre 2024 en annexe du Pacte pour l'avenir. L'examen des vingt ans du Sommet mondial sur
la société de l'information (**SMSI+20**) s'est conclu par une réunion de haut niveau de
l'Assemblée générale des Nations Unies les 16 et 17 décembre 2025, dont le document final
(A/RES/80/173) a rendu permanent le **Forum sur la gouvernance de l'internet**. La mise en œuvre
de ces décisions façonnera l'internet des vingt prochaines années ; celles et ceux qui le
construisent et l'exploitent doivent être présents.

## Ce que nous défendons

- L'internet doit rester un réseau unique : ouvert, interopérable, sûr et résilient.
- Les décisions sur son fonctionnement relèvent de processus inclusifs où chaque groupe de
  parties prenantes participe sur un pied d'égalité, et pas seulement de négociations
  intergouvernementales.
- La coordination technique fonctionne le mieux lorsqu'elle reste confiée aux organismes qui
  l'assurent aujourd'hui, responsables devant les communautés qu'ils servent.
- Le modèle multipartite n'est pas achevé : il doit devenir plus divers, plus transparent et plus
  accessible, surtout pour les personnes des pays en développement.

## Nos objectifs

1. Garder le suivi du SMSI+20 et la mise en œuvre du Pacte numérique mondial ouverts à toutes les
   parties prenantes.
2. Soutenir un FGI solide et doté de moyens suffisants dans le cadre de son mandat permanent,
   avec les FGI nationaux et régionaux.
3. Apporter le savoir technique aux débats politiques : expliquer le fonctionnement du système
   des noms de domaine, de l'adressage IP et des normes de l'internet, et ce que les propositions
   changeraient en pratique.
4. Améliorer le modèle lui-même, en s'appuyant sur les Lignes directrices multipartites de São
   Paulo adoptées à NETmundial+10 en avril 2024.
5. Préparer des réponses communes aux consultations, pour que la communauté technique parle d'une
   voix claire.
6. Suivre les processus qui comptent — le FGI, le SMSI, l'ICANN et la Conférence de
   plénipotentiaires de l'UIT à Doha en novembre 2026 — et dire à nos membres quand agir.

## Notre fonctionnement

Nous sommes une coalition informelle. Nous décidons par consensus, publions nos positions et
travaillons en toute transparence. Les organisations de la communauté technique de l'internet qui
partagent ces objectifs peuvent nous rejoindre.

## Signer cette déclaration

Les organisations et les personnes qui adhèrent à cette déclaration sont invitées à la signer.
Chaque signature indique la version signée : vous savez toujours quel texte vous avez soutenu.
)md";

constexpr const char* kSpanish = R"md(# Declaración de propósitos

Somos una coalición de organizaciones de la comunidad técnica de internet. Nuestros miembros
fundadores — **Nominet** (.uk), **auDA** (.au), **CIRA** (.ca) e **InternetNZ** (.nz) —
administran dominios de nivel superior de código de país en el interés público. Nos unimos en
abril de 2024 para defender el modelo de múltiples partes interesadas de la gobernanza de
internet y para que funcione mejor para todas las personas.

## Por qué alzamos la voz

Internet funciona porque ningún gobierno, empresa u organización la dirige por sí solo. Los
nombres, los números y los protocolos se coordinan mediante procesos abiertos y ascendentes en
los que participan los gobiernos, las empresas, la sociedad civil, la academia y la comunidad
técnica.

Ese modelo se está renegociando. El **Pacto Digital Global** se adoptó el 22 de septiembre de 2024
como anexo del Pacto para el Futuro. El examen de los veinte años de la Cumbre Mundial sobre la
Sociedad de la Información (**CMSI+20**) concluyó con una reunión de alto nivel de la Asamblea
General de las Naciones Unidas los días 16 y 17 de diciembre de 2025, cuyo documento final
(A/RES/80/173) hizo permanente el **Foro para la Gobernanza de Internet**. La manera de aplicar
estas decisiones dará forma a internet durante los próximos veinte años, y quienes la construyen
y la operan deben estar presentes.

## Lo que defendemos

- Internet debe seguir siendo una sola red: abierta, interoperable, segura y resiliente.
- Las decisiones sobre su funcionamiento corresponden a procesos inclusivos en los que cada grupo
  de partes interesadas participe en igualdad de condiciones, y no solo a negociaciones
  intergubernamentales.
- La coordinación técnica funciona mejor cuando permanece en manos de los organismos que la
  realizan hoy, responsables ante las comunidades a las que sirven.
- El modelo de múltiples partes interesadas no está terminado: debe ser más diverso, más
  transparente y más accesible, sobre todo para las personas de los países en desarrollo.

## Nuestros objetivos

1. Mantener el seguimiento de la CMSI+20 y la aplicación del Pacto Digital Global abiertos a todas
   las partes interesadas.
2. Apoyar un IGF sólido y con recursos suficientes bajo su mandato permanente, junto con los IGF
   nacionales y regionales.
3. Aportar conocimiento técnico a los debates de políticas: explicar cómo funcionan el sistema de
   nombres de dominio, el direccionamiento IP y los estándares de internet, y qué cambiarían las
   propuestas en la práctica.
4. Mejorar el propio modelo, a partir de las Directrices de São Paulo para procesos de múltiples
   partes interesadas acordadas en NETmundial+10 en abril de 2024.
5. Preparar respuestas conjuntas a las consultas, para que la comunidad técnica hable con una voz
   clara.
6. Seguir los procesos que importan — el IGF, la CMSI, la ICANN y la Conferencia de
   Plenipotenciarios de la UIT en Doha en noviembre de 2026 — y avisar a nuestros miembros de
   cuándo actuar.

## Cómo trabajamos

Somos una coalición informal. Decidimos por consenso, publicamos nuestras posiciones y trabajamos
de forma abierta. Pueden unirse las organizaciones de la comunidad técnica de internet que
compartan estos objetivos.

## Firme esta declaración

Invitamos a firmarla a las organizaciones y personas que estén de acuerdo con esta declaración.
Cada firma registra la versión firmada, para que siempre sepa qué texto respaldó.
)md";

constexpr const char* kArabic = R"md(# بيان الغرض

نحن تحالف من منظمات المجتمع التقني للإنترنت. يدير أعضاؤنا المؤسسون — **Nominet** (.uk)
و**auDA** (.au) و**CIRA** (.ca) و**InternetNZ** (.nz) — نطاقات المستوى الأعلى الخاصة برموز
البلدان لخدمة المصلحة العامة. اجتمعنا في أبريل/نيسان 2024 للدفاع عن نموذج أصحاب المصلحة المتعددين
في حوكمة الإنترنت، ولجعله يعمل على نحو أفضل للجميع.

## لماذا نرفع صوتنا

تعمل الإنترنت لأنه لا تديرها حكومة واحدة ولا شركة واحدة ولا منظمة واحدة. فالأسماء والأرقام
والبروتوكولات تُنسَّق عبر عمليات مفتوحة تنطلق من القاعدة إلى القمة، تشارك فيها الحكومات وقطاع
الأعمال والمجتمع المدني والأوساط الأكاديمية والمجتمع التقني.

ويجري اليوم التفاوض من جديد على هذا النموذج. فقد اعتُمد **الميثاق الرقمي العالمي** في 22
سبتمبر/أيلول 2024 ملحقًا بميثاق المستقبل. واختُتم استعراض السنوات العشرين للقمة العالمية لمجتمع
المعلومات (**القمة العالمية +20**) باجتماع رفيع المستوى للجمعية العامة للأمم المتحدة يومي 16
و17 ديسمبر/كانون الأول 2025، وقد جعلت وثيقته الختامية (A/RES/80/173) **منتدى حوكمة الإنترنت**
دائمًا. وستحدد طريقة تنفيذ هذه القرارات شكل الإنترنت في السنوات العشرين المقبلة، ويجب أن يكون
من يبنونها ويشغّلونها حاضرين.

## ما نؤمن به

- يجب أن تبقى الإنترنت شبكة واحدة: مفتوحة وقابلة للتشغيل البيني وآمنة وصامدة.
- القرارات المتعلقة بإدارتها مكانها عمليات شاملة تشارك فيها كل فئة من أصحاب المصلحة على قدم
  المساواة، لا المفاوضات الحكومية الدولية وحدها.
- ينجح التنسيق التقني على أفضل وجه حين يبقى لدى الهيئات التي تقوم به اليوم، وهي مسؤولة أمام
  المجتمعات التي تخدمها.
- نموذج أصحاب المصلحة المتعددين لم يكتمل بعد: يجب أن يصبح أكثر تنوعًا وشفافية وأيسر انضمامًا،
  ولا سيما لأبناء البلدان النامية.

## أهدافنا

1. إبقاء متابعة القمة العالمية +20 وتنفيذ الميثاق الرقمي العالمي مفتوحين لجميع أصحاب المصلحة.
2. دعم منتدى قوي لحوكمة الإنترنت ذي موارد كافية في إطار ولايته الدائمة، إلى جانب المنتديات
   الوطنية والإقليمية.
3. إيصال المعرفة التقنية إلى النقاشات السياساتية: شرح كيفية عمل نظام أسماء النطاقات وعناوين
   بروتوكول الإنترنت ومعايير الإنترنت، وما الذي ستغيّره المقترحات عمليًا.
4. تحسين النموذج نفسه، استنادًا إلى مبادئ ساو باولو التوجيهية لأصحاب المصلحة المتعددين التي
   اتُّفق عليها في NETmundial+10 في أبريل/نيسان 2024.
5. إعداد ردود مشتركة على المشاورات، ليتحدث المجتمع التقني بصوت واضح.
6. متابعة العمليات المهمة — منتدى حوكمة الإنترنت والقمة العالمية ومنظمة ICANN ومؤتمر
   المندوبين المفوضين للاتحاد الدولي للاتصالات في الدوحة في نوفمبر/تشرين الثاني 2026 — وإبلاغ
   أعضائنا بموعد التحرك.

## كيف نعمل

نحن تحالف غير رسمي. نتخذ قراراتنا بالتوافق، وننشر مواقفنا، ونعمل بشفافية. والعضوية مفتوحة
لمنظمات المجتمع التقني للإنترنت التي تشاركنا هذه الأهداف.

## وقّع هذا البيان

ندعو المنظمات والأفراد الذين يتفقون مع هذا البيان إلى التوقيع عليه. ويُسجَّل مع كل توقيع رقم
النسخة الموقَّعة، لتعرف دائمًا أي نص أيّدت.
)md";

constexpr const char* kRussian = R"md(# Заявление о целях

Мы — коалиция организаций технического сообщества интернета. Наши члены-учредители —
**Nominet** (.uk), **auDA** (.au), **CIRA** (.ca) и **InternetNZ** (.nz) — управляют
национальными доменами верхнего уровня в общественных интересах. Мы объединились в апреле
2024 года, чтобы защищать многостороннюю модель управления интернетом и делать её лучше для всех.

## Почему мы высказываемся

Интернет работает, потому что им не управляет в одиночку ни одно правительство, ни одна компания
и ни одна организация. Имена, адреса и протоколы координируются в открытых процессах «снизу
вверх», в которых участвуют правительства, бизнес, гражданское общество, академическое сообщество
и техническое сообщество.

Сейчас эта модель пересматривается. **Глобальный цифровой договор** был принят 22 сентября
2024 года как приложение к Пакту во имя будущего. Обзор двадцати лет Всемирной встречи на высшем
уровне по вопросам информационного общества (**ВВУИО+20**) завершился совещанием высокого уровня
Генеральной Ассамблеи ООН 16–17 декабря 2025 года; его итоговый документ (A/RES/80/173) сделал
**Форум по вопросам управления интернетом** постоянным. То, как будут выполняться эти решения,
определит облик интернета на следующие двадцать лет, и те, кто его строит и поддерживает, должны
участвовать в обсуждении.

## Во что мы верим

- Интернет должен оставаться единой сетью: открытой, совместимой, безопасной и устойчивой.
- Решения о его работе должны приниматься в инклюзивных процессах, где каждая группа
  заинтересованных сторон участвует на равных, а не только на межправительственных переговорах.
- Техническая координация работает лучше всего, когда она остаётся за организациями, которые
  выполняют её сегодня и подотчётны сообществам, которым служат.
- Многосторонняя модель не завершена: она должна стать разнообразнее, прозрачнее и доступнее,
  прежде всего для людей из развивающихся стран.

## Наши цели

1. Сохранить открытость последующей деятельности по ВВУИО+20 и выполнения Глобального цифрового
   договора для всех заинтересованных сторон.
2. Поддерживать сильный и обеспеченный ресурсами IGF в рамках его постоянного мандата, вместе с
   национальными и региональными IGF.
3. Приносить технические знания в политические дискуссии: объяснять, как работают система
   доменных имён, IP-адресация и стандарты интернета и что предложения изменят на практике.
4. Совершенствовать саму модель, опираясь на Руководящие принципы Сан-Паулу для многосторонних
   процессов, согласованные на NETmundial+10 в апреле 2024 года.
5. Готовить совместные ответы на консультации, чтобы техническое сообщество говорило ясным
   голосом.
6. Следить за важными процессами — IGF, ВВУИО, ICANN и Полномочной конференцией МСЭ в Дохе в
   ноябре 2026 года — и сообщать нашим членам, когда действовать.

## Как мы работаем

Мы — неформальная коалиция. Мы принимаем решения консенсусом, публикуем свои позиции и работаем
открыто. Присоединиться могут организации технического сообщества интернета, разделяющие эти
цели.

## Подпишите это заявление

Мы приглашаем организации и частных лиц, согласных с этим заявлением, подписать его. Каждая
подпись фиксирует подписанную версию, чтобы вы всегда знали, какой текст поддержали.
)md";

// Chinese paragraphs are one line each: a line break inside one would show as a space.
constexpr const char* kChinese = R"md(# 宗旨声明

我们是由互联网技术社群组织组成的联盟。我们的创始成员——**Nominet**（.uk）、**auDA**（.au）、**CIRA**（.ca）和 **InternetNZ**（.nz）——本着公共利益运营国家和地区代码顶级域。我们于 2024 年 4 月走到一起，捍卫互联网治理的多利益攸关方模式，并使之更好地服务于所有人。

## 我们为何发声

互联网之所以能够运转，是因为没有任何一个政府、企业或组织单独掌控它。域名、地址和协议通过开放的、自下而上的进程加以协调，政府、工商界、民间社会、学术界和技术社群都在其中发挥作用。

这一模式正在被重新谈判。**全球数字契约**于 2024 年 9 月 22 日作为《未来契约》的附件获得通过。信息社会世界峰会二十周年审查（**WSIS+20**）以 2025 年 12 月 16 日至 17 日联合国大会高级别会议告终，其成果文件（A/RES/80/173）使**互联网治理论坛**成为常设论坛。这些决定如何落实，将塑造未来二十年的互联网；建设和运行互联网的人必须参与其中。

## 我们的信念

- 互联网应当保持为一个网络：开放、可互操作、安全且有韧性。
- 关于互联网如何运行的决定，应当在包容的进程中作出，让每个利益攸关方群体平等参与，而不只是在政府间谈判中作出。
- 技术协调由今天承担这项工作、并对其服务的社群负责的机构继续负责，效果最好。
- 多利益攸关方模式尚未完善：它必须变得更加多元、更加透明、更容易参与，尤其是对发展中国家的人们。

## 我们的目标

1. 使 WSIS+20 后续工作和全球数字契约的实施向所有利益攸关方开放。
2. 支持一个强有力、资源充足、拥有常设授权的互联网治理论坛，以及各国家和区域互联网治理论坛。
3. 将技术知识带入政策讨论：解释域名系统、IP 地址分配和互联网标准如何运作，以及各项提案在实践中会带来什么改变。
4. 借鉴 2024 年 4 月 NETmundial+10 会议商定的《圣保罗多利益攸关方准则》，改进这一模式本身。
5. 准备对各类咨询的联合回应，使技术社群发出清晰的声音。
6. 关注重要进程——互联网治理论坛、信息社会世界峰会、ICANN 以及 2026 年 11 月在多哈举行的国际电信联盟全权代表大会——并告知成员何时采取行动。

## 我们的工作方式

我们是一个非正式联盟。我们以协商一致方式作出决定，公开发表立场，并以公开透明的方式开展工作。认同这些目标的互联网技术社群组织均可加入。

## 签署本声明

我们邀请认同本声明的组织和个人签署。每一份签名都会记录所签署的版本，让您始终清楚自己支持的是哪一份文本。
)md";

constexpr DemoText kTranslations[] = {
    {"fr", kFrench}, {"es", kSpanish}, {"ar", kArabic}, {"ru", kRussian}, {"zh", kChinese},
};

}  // namespace

void load_demo_statement(statement::Statements& statements, const accounts::Actor& actor) {
    if (statements.current()) {
        return;
    }
    auto published = statements.publish(actor, "", kEnglish, "en");
    if (!published) {
        throw std::runtime_error("demo data: statement: " + published.error().message);
    }
    for (const auto& text : kTranslations) {
        auto translated =
            statements.translate(actor, published->hash, text.language, "", text.markdown);
        if (!translated) {
            throw std::runtime_error(std::string("demo data: statement (") + text.language +
                                     "): " + translated.error().message);
        }
    }
}

}  // namespace coalition::app
