//! `passerelle admin …`: what the command line does to accounts beside
//! the web's pages.

use anyhow::Context;

/// `admin token`: a personal API token for an active account, valid `days`
/// days or until revoked; the token, shown once.
pub(crate) async fn token(
    store: &dyn passerelle_store::Store,
    email: &str,
    label: &str,
    days: Option<u32>,
) -> anyhow::Result<String> {
    let account = store
        .account(email)
        .await?
        .map(|(a, _)| a)
        .filter(|a| a.active)
        .ok_or_else(|| anyhow::anyhow!("--email : aucun compte actif pour {email}"))?;
    let token = passerelle_auth::new_token();
    store
        .create_api_token(
            &passerelle_auth::token_hash(&token),
            account.email.as_str(),
            label,
            days.map(|d| unix_now() + i64::from(d) * 86_400),
        )
        .await
        .with_context(|| {
            format!("création du jeton « {label} » impossible (ce nom est peut-être déjà pris)")
        })?;
    Ok(token)
}

/// `admin create`: an administrator of `cite` (and of the instance with
/// `instance`), with an administrator's password; what to tell.
pub(crate) async fn create(
    store: &dyn passerelle_store::Store,
    cite: &str,
    email: &passerelle_domain::Email,
    name: Option<&str>,
    instance: bool,
    password: &str,
) -> anyhow::Result<String> {
    let hash = passerelle_auth::hash_password(
        password,
        email.as_str(),
        passerelle_auth::Strength::Administrator,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut account = passerelle_domain::Account::member(
        email.clone(),
        name.map_or_else(
            || email.as_str().split('@').next().unwrap_or("").to_owned(),
            str::to_owned,
        ),
        passerelle_domain::Membership::new(cite, passerelle_domain::Role::Administrateur, None),
    );
    if instance {
        account.instance_role = Some(passerelle_domain::InstanceRole::Administrateur);
    }
    store.create_account(&account, &hash, "cli").await?;
    Ok(format!(
        "compte administrateur de la cité « {cite} »{} créé pour {email} ; la double authentification lui sera demandée à sa première connexion",
        if instance { " et de l'instance" } else { "" }
    ))
}

/// `admin remove-second-factor`: a lost phone; what to tell.
pub(crate) async fn remove_second_factor(
    store: &dyn passerelle_store::Store,
    email: &str,
) -> anyhow::Result<String> {
    anyhow::ensure!(
        store.remove_second_factor(email, "cli").await?,
        "{email} n'a pas de double authentification"
    );
    Ok(format!(
        "double authentification retirée pour {email} ; ses sessions sont fermées"
    ))
}

/// Now, in Unix seconds.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
