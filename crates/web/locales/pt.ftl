# Passerelle — a interface em português.
# Drafted by the Passerelle team; awaiting review by a native speaker.

## The frame of every page

skip = Ir para o conteúdo
nav-label = Menu principal
nav-home = Início
nav-actions = Atividades
nav-orient = Orientar uma família
nav-directory = Contactos
nav-seminar = Seminário
nav-review = Balanço
nav-quality = Qualidade dos dados
nav-all-cites = Todas as cités
nav-national-search = Procurar uma atividade
nav-national-orient = Orientar uma família que muda de cidade
nav-national-review = Balanço de todas as cités
footer-accessibility = Acessibilidade: parcialmente conforme
footer-accessibility-link = declaração de acessibilidade
footer-open-data = Dados abertos:
footer-api = API JSON (OpenAPI)
footer-signin = Espaço dos profissionais: entrar
crumbs = Percurso
home-family-offer = Para as famílias: as atividades explicadas de forma simples, em português
languages = Línguas
translation-draft = Esta tradução foi escrita pela equipa do Passerelle. Ainda tem de ser revista por um falante nativo.
translation-reviewed = Esta tradução foi escrita pela equipa do Passerelle e revista por { $name }.
translation-unreviewed = Esta tradução ainda não foi revista por um falante nativo.
content-in-french = Os nomes e os textos da ficha estão escritos em francês.

## An action told to families

family-title = { $title }: para as famílias
fiche-number = Ficha n.º { $n }
family-crumb = Para as famílias
family-lead = Esta atividade explicada às famílias, com o que diz a sua ficha.
family-for-whom = Para quem?
family-unknown-whom = A ficha não diz.
family-where = Onde?
family-unknown-where = A ficha não diz onde. Pergunte à pessoa a quem deve telefonar.
family-places-named = Os lugares indicados na ficha:
family-run-by = Quem organiza?
family-when = Quando? Quanto custa?
family-unknown-when = A ficha não indica os dias, os horários, o preço nem como lá chegar. Pergunte à pessoa a quem deve telefonar.
family-call = A quem telefonar?
family-no-contact = A ficha não indica ninguém a quem telefonar. Fale disso com a pessoa que o recebe.
family-phone = telefone
family-email = correio eletrónico
family-more = Mais informações: a ficha completa, escrita para os profissionais
family-steering = coordenação da Cité éducative
family-link = Para as famílias: esta atividade explicada de forma simples
ages-range = dos { $min } aos { $max } anos
ages-one = { $age ->
    [one] de { $age } ano
   *[other] de { $age } anos
}
ages-baby = com menos de um ano
ages-of-children = para crianças { $ages }
place-quartier = Bairros
place-centre-social = Centros sociais
place-ecole = Escolas
place-college = Escolas do 3.º ciclo (collèges)
place-reseau = Redes de educação prioritária
place-secteur = Setores da cidade
place-cite = Toda a cidade

## The sheet handed to a family

sheet-title = Atividades perto de si
sheet-back = Voltar à pesquisa
sheet-print = Use a função «Imprimir» do seu navegador para imprimir esta ficha.
sheet-for-parent-age = Para si, pai ou mãe de uma criança de { $age } anos
sheet-for-parent = Para si, pai ou mãe
sheet-for-child-age = Para o seu filho de { $age } anos
sheet-for-child = Para o seu filho
sheet-place = Lugar:
sheet-needs = O que lhe interessa:
sheet-none = Não encontrámos nenhuma atividade para este pedido. Fale disso com a pessoa que o recebe.
sheet-unknown-when = As fichas não indicam os dias, os horários, o preço nem como lá chegar: pergunte às pessoas a quem deve telefonar.
sheet-given-by = Ficha entregue por: ………………………………………… em ………………

## Referrals: the mails to the family (text only)

referral-family-accepted-subject = O seu pedido para « { $action } » foi aceite
referral-family-accepted-body = Olá,
    O seu pedido para a ação « { $action } » foi aceite.
    O passo seguinte: { $next }
    Para qualquer pergunta, fale com o profissional que o acompanhou.
referral-family-refused-subject = O seu pedido para « { $action } »
referral-family-refused-body = Olá,
    A ação « { $action } » não o pode receber de momento.
    O profissional que o acompanhou vai procurar consigo outra solução.
referral-family-expired-subject = O seu pedido para « { $action } »
referral-family-expired-body = Olá,
    O seu pedido para a ação « { $action } » não recebeu resposta a tempo.
    O profissional que o acompanhou vai voltar a contactá-lo.
referral-family-footer = Recebe esta mensagem porque aceitou este pedido. Não responda a este e-mail.

## The home page of a cité

home-description = As ações da { $cite } para as crianças, os jovens e as suas famílias.
home-national-id = Identificador nacional
home-communes = Municípios
home-qpv = Bairros prioritários (QPV)
home-find = Encontrar uma ação
home-find-text = As { $n } ações da { $programme }, por palavra, idade, necessidade ou bairro.
home-orient-text = A idade, o lugar, a necessidade: as ações adequadas e a quem telefonar.
home-directory = Diretório dos parceiros
home-directory-text = { $organisations } organizações e { $people } pessoas: quem faz o quê, com quem, onde.
home-seminar = Seminário dos parceiros
home-seminar-text = O programa, os ateliês e as perguntas do seminário.
home-axes = Os eixos da { $programme }
home-themes = Por necessidade
axis-number = Eixo { $n }
axis-count = { $n ->
    [one] { $n } ação
   *[other] { $n } ações
}

## The needs and the publics, as the search and the orientation name them

theme-assiduite-decrochage = Assiduidade escolar e abandono escolar
theme-climat-scolaire = Clima escolar e assédio
theme-parentalite-coeducation = Parentalidade e coeducação
theme-langue-francaise-lecture = Língua francesa, leitura e escrita
theme-numerique = Digital
theme-sante-handicap = Saúde, deficiência e vida afetiva
theme-orientation-insertion = Orientação, formação e inserção profissional
theme-culture-sport = Cultura e desporto
theme-citoyennete-discriminations = Cidadania, laicidade e discriminações
theme-petite-enfance = Primeira infância
theme-cooperation-acteurs = Cooperação entre parceiros
audience-enfants = Crianças e jovens
audience-jeunes-adultes = Jovens adultos
audience-parents = Pais
audience-professionnels = Profissionais
audience-adultes = Adultos

## Finding an action

search-query-title = Pesquisa «{ $q }»
search-keywords = Palavras-chave
search-age = Idade da criança
search-age-hint = (em anos)
needs = Necessidades
search-submit = Pesquisar
search-active = Filtros ativos
search-count = { $n ->
    [0] Nenhuma ação encontrada
    [one] 1 ação
   *[other] { $n } ações
}
search-none = Nenhuma ação corresponde a esta pesquisa.
search-spelling = Verifique a ortografia, ou experimente uma palavra francesa mais geral («lecture», «parents», «sport»).
search-without-filters = Pesquisar sem os filtros
search-step-by-step = Orientar uma família passo a passo
search-directory = No diretório
search-organisation = organização
search-person = pessoa
search-refine = Refinar
search-remove = Retirar:
search-remove-filter = Retirar o filtro «{ $label }»
search-suggest = Pesquisar «{ $q }»
search-words-in-french = As ações estão descritas em francês: pesquise com palavras francesas.
facet-axis = Eixo
facet-audience = Público
facet-age = Idade
facet-theme = Necessidade
facet-territory = Território
facet-partner = Parceiro
facet-operator = Operador
filter-age = Idade: { $age }
card-for = Para:

## An axis, an action

axis-heading-note = Título no topo das suas fichas no livreto: «{ $heading }».
axis-actions = { $n ->
    [one] A ação deste eixo
   *[other] As { $n } ações deste eixo
}
action-pdf = Esta ficha em PDF, para imprimir
action-refer = Orientar uma família para esta ação
action-related = Ações próximas
action-in-french = Esta ficha está escrita em francês, para os profissionais. A página «Para as famílias» explica-a de forma simples.
fiche-also = Também intitulada:
fiche-inferred = O livreto imprime esta ficha sem cabeçalho: o seu número ou o seu título foram deduzidos.
fiche-action = A ação
fiche-objectives = Objetivos
fiche-for-whom = Para quem
fiche-no-audience = O livreto não diz para quem é.
fiche-where = Onde
fiche-whole-city = Toda a cidade.
fiche-operators = Quem a conduz
fiche-partners = Parceiros
fiche-contacts = Contactos
fiche-resources = Recursos
fiche-place-from-title = segundo o título da ficha
fiche-place-from-text = lugar citado na descrição
role-operator = operador
role-provider = prestador

## Orienting a family

orient-lead = Indique a idade da criança, o lugar e a necessidade: o Passerelle propõe as ações adequadas e as pessoas a quem telefonar. Depois, pode imprimir uma ficha para entregar à família.
orient-child = Uma criança ou um jovem
orient-parent = Um pai ou uma mãe
orient-age-hint = (em anos, de 0 a 25)
orient-place = Escola, colégio, bairro ou setor
orient-whole-city = Toda a cidade
orient-need = Necessidade
orient-need-hint = (uma ou várias)
orient-submit = Ver as ações
orient-count = { $n ->
    [0] Nenhuma ação corresponde
    [one] 1 ação corresponde
   *[other] { $n } ações correspondem
}
orient-none = Experimente sem indicar o lugar, ou com outra necessidade.
orient-browse = Também pode ver todas as ações.
orient-sheet = Preparar a ficha para entregar à família
orient-why = Porquê:
orient-call = A quem telefonar:
orient-refer = Enviar uma orientação para esta ação
territory-secteur = Setor
territory-quartier = Bairro
territory-ecole = Escola primária
territory-college = Colégio
territory-centre-social = Centro social
territory-reseau = Rede REP+
territory-cite = Cidade

## The directory

directory-lead = Quem faz o quê, com quem, onde: as organizações, as pessoas e os territórios da Cité éducative.
directory-sections = Secções do diretório
directory-organisations = Organizações
directory-people = Pessoas
directory-territories = Territórios
directory-also-written = Também escrito:
directory-website = Sítio na internet
directory-operates = Ações conduzidas
directory-operates-none = Nenhuma ação conduzida neste programa.
directory-partner-of = Parceiro de
directory-partner-none = Nenhuma ação cita esta organização como parceira.
directory-works-with = Trabalha com
directory-reach = Contactar
directory-phone = Telefone:
directory-email = Correio eletrónico:
directory-emails-note = O livreto imprime vários endereços; o primeiro é o mais frequente.
directory-contact-for = Contacto para
directory-seminar = No seminário
directory-on-territory = Neste território
directory-structures = Estruturas
directory-actions-here = Ações conduzidas aqui
directory-actions-here-none = Nenhuma ação cita este território.
directory-city-wide = Somam-se { $n } ações conduzidas em toda a cidade.
organisation-association = Associação
organisation-commune = Município
organisation-service-municipal = Serviço municipal
organisation-service-etat = Serviço do Estado
organisation-collectivite = Autarquia
organisation-education-nationale = Educação nacional
organisation-ecole = Escola
organisation-college = Colégio
organisation-centre-social = Centro social
organisation-mediatheque = Biblioteca
organisation-etablissement-public = Organismo público
organisation-entreprise = Empresa
organisation-autre = Outro

## Error pages

error-not-found = Página não encontrada
error-not-found-text = Esta página não existe, ou já não existe.
error-bad-request = Pedido incompleto
error-bad-request-text = Falta alguma coisa no pedido, ou um valor não é aceite.
error-method = Ação impossível
error-method-text = Esta ação não é possível neste endereço.
error-unauthorized = É preciso iniciar sessão
error-unauthorized-text = É preciso iniciar sessão para ver esta página.
error-forbidden = Acesso recusado
error-forbidden-text = A sua conta não permite ver esta página.
error-conflict = Alteração simultânea
error-conflict-text = Outra pessoa alterou estes dados ao mesmo tempo.
error-unprocessable = Dados recusados
error-unprocessable-text = Alguns dados não são aceites.
error-gone = Já não está disponível
error-gone-text = Este conteúdo já não está disponível.
error-unavailable = Servidor muito solicitado
error-unavailable-text = O servidor está muito solicitado. Tente de novo dentro de alguns instantes.
error-internal = Erro do servidor
error-internal-text = Ocorreu um erro no servidor. Tente de novo mais tarde.
error-code = Código de erro: { $n }
error-continue = Para continuar
error-signin = Iniciar sessão
error-home = Voltar à página inicial
error-search = Encontrar uma ação
error-directory = Consultar o diretório
