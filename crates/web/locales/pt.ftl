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
