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

/// Now, in Unix seconds.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
