//! Accounts, sessions, one-time links, API tokens, failure counts and the
//! instance's keys: their SQL, written once for both databases.

/// Implements the trait for a store crate's type (`$store`, with a `pool`
/// field), in a module `accounts_sql` of that crate; the crate's `dialect` module
/// gives what differs by database.
#[macro_export]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool and its `dialect`"
)]
macro_rules! account_store {
    ($store:ty) => {
        pub(crate) mod accounts_sql {
            use async_trait::async_trait;
            use passerelle_domain::{Account, InstanceRole, Membership, Slug};
            use passerelle_store::rows;
            use passerelle_store::{AccountStore, ApiTokenInfo, LinkPurpose, OneTimeLink, StoreError};
            use sqlx::Row as _;

            use crate::catalogue_sql::log_activity;
            use crate::dialect::{Conn, Db, Row, begin_write, db, now};

/// An account from the columns email, name, active, instance_role (its
/// memberships are read by [`with_memberships`]).
fn account_row(r: &Row) -> Result<Account, StoreError> {
    let instance_role: Option<String> = r.get(3);
    rows::account(
        &r.get::<String, _>(0),
        r.get(1),
        r.get(2),
        instance_role.as_deref(),
    )
}

/// A membership from the columns cite, role, organisation.
fn membership_row(email: &str, r: &Row) -> Result<Membership, StoreError> {
    let organisation: Option<String> = r.get(2);
    rows::membership(
        email,
        r.get(0),
        &r.get::<String, _>(1),
        organisation.as_deref(),
    )
}

/// Reads the memberships of accounts already read (one query for all).
async fn with_memberships<'c, E>(
    executor: E,
    mut accounts: Vec<Account>,
) -> Result<Vec<Account>, StoreError>
where
    E: sqlx::Executor<'c, Database = Db>,
{
    if accounts.is_empty() {
        return Ok(accounts);
    }
    let rows = if accounts.len() == 1 {
        sqlx::query(
            "SELECT cite, role, organisation, email FROM memberships WHERE email = $1 ORDER BY cite",
        )
        .bind(accounts[0].email.as_str())
        .fetch_all(executor)
        .await
    } else {
        sqlx::query("SELECT cite, role, organisation, email FROM memberships ORDER BY cite")
            .fetch_all(executor)
            .await
    }
    .map_err(db)?;
    for r in &rows {
        let email: String = r.get(3);
        if let Some(a) = accounts
            .iter_mut()
            .find(|a| a.email.as_str().eq_ignore_ascii_case(&email))
        {
            let m = membership_row(&email, r)?;
            a.memberships.push(m);
        }
    }
    Ok(accounts)
}

async fn insert_membership(
    tx: &mut Conn,
    email: &str,
    m: &Membership,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (email, cite, role, organisation, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email, cite) DO UPDATE SET role = excluded.role, organisation = excluded.organisation",
    )
    .bind(email)
    .bind(&m.cite)
    .bind(m.role.key())
    .bind(m.organisation.as_ref().map(Slug::as_str))
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    Ok(())
}

/// Inserts an account with its memberships; refuses an email already used
/// (any case).
pub(crate) async fn insert_account(
    tx: &mut Conn,
    account: &Account,
    password_hash: &str,
    at: &str,
) -> Result<(), StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO accounts (email, name, active, instance_role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING",
    )
    .bind(account.email.as_str())
    .bind(&account.name)
    .bind(account.active)
    .bind(account.instance_role.map(InstanceRole::key))
    .bind(password_hash)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if inserted.rows_affected() == 0 {
        return Err(StoreError::DuplicateAccount(account.email.to_string()));
    }
    for m in &account.memberships {
        insert_membership(tx, account.email.as_str(), m, at).await?;
    }
    Ok(())
}

/// The account a link is for, from the columns email, name, active,
/// instance_role, cite, role, organisation.
fn link_account(r: &Row) -> Result<Account, StoreError> {
    let mut account = account_row(r)?;
    let cite: Option<String> = r.get(4);
    let role: Option<String> = r.get(5);
    if let (Some(cite), Some(role)) = (cite, role) {
        let organisation: Option<String> = r.get(6);
        let email = account.email.to_string();
        account.memberships.push(rows::membership(
            &email,
            cite,
            &role,
            organisation.as_deref(),
        )?);
    }
    Ok(account)
}

/// One account by email, with its memberships.
pub(crate) async fn read_account(
    conn: &mut Conn,
    email: &str,
    only_active: bool,
) -> Result<Option<(Account, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT email, name, active, instance_role, password_hash FROM accounts
         WHERE email = $1 AND (active OR NOT $2)",
    )
    .bind(email)
    .bind(only_active)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let Some(row) = row else { return Ok(None) };
    let hash: String = row.get(4);
    let account = with_memberships(&mut *conn, vec![account_row(&row)?])
        .await?
        .pop()
        .ok_or_else(|| StoreError::Corrupt(format!("account {email}")))?;
    Ok(Some((account, hash)))
}

#[async_trait]
impl AccountStore for $store {
    async fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        insert_account(&mut tx, account, password_hash, &at).await?;
        log_activity(
            &mut tx,
            rows::cite_of(account),
            actor,
            &at,
            "create-account",
            account.email.as_str(),
            &rows::roles_detail(account),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn account(&self, email: &str) -> Result<Option<(Account, String)>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        read_account(&mut conn, email, false).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn count_administrators(&self, cite: &str) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM memberships m JOIN accounts a ON a.email = m.email
             WHERE m.cite = $1 AND m.role = 'administrateur' AND a.active",
        )
        .bind(cite)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let rows =
            sqlx::query("SELECT email, name, active, instance_role FROM accounts ORDER BY email")
                .fetch_all(&mut *conn)
                .await
                .map_err(db)?;
        let accounts = rows
            .iter()
            .map(account_row)
            .collect::<Result<Vec<_>, _>>()?;
        with_memberships(&mut *conn, accounts).await
    }

    async fn update_account(&self, account: &Account, actor: &str) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        let updated = sqlx::query(
            "UPDATE accounts SET name = $1, instance_role = $2, active = $3 WHERE email = $4",
        )
        .bind(&account.name)
        .bind(account.instance_role.map(InstanceRole::key))
        .bind(account.active)
        .bind(account.email.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                kind: passerelle_domain::EntityKind::Person,
                key: account.email.to_string(),
            });
        }
        if !account.active {
            sqlx::query("DELETE FROM sessions WHERE email = $1")
                .bind(account.email.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query("DELETE FROM api_tokens WHERE email = $1")
                .bind(account.email.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let detail = format!(
            "{}{}",
            account.instance_role.map_or("", InstanceRole::key),
            if account.active { "" } else { " désactivé" }
        );
        log_activity(
            &mut tx,
            None,
            actor,
            &at,
            "update-account",
            account.email.as_str(),
            detail.trim(),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn set_membership(
        &self,
        email: &str,
        cite: &str,
        membership: Option<&Membership>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        let exists: Option<String> =
            sqlx::query_scalar("SELECT email FROM accounts WHERE email = $1")
                .bind(email)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        let Some(email) = exists else {
            return Err(StoreError::NotFound {
                kind: passerelle_domain::EntityKind::Person,
                key: email.to_owned(),
            });
        };
        let detail = match membership {
            Some(m) => {
                let m = Membership {
                    cite: cite.to_owned(),
                    ..m.clone()
                };
                insert_membership(&mut tx, &email, &m, &at).await?;
                m.role.key().to_owned()
            }
            None => {
                sqlx::query("DELETE FROM memberships WHERE email = $1 AND cite = $2")
                    .bind(&email)
                    .bind(cite)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                "retiré".to_owned()
            }
        };
        log_activity(
            &mut tx,
            Some(cite),
            actor,
            &at,
            "set-membership",
            &email,
            &detail,
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn create_link(
        &self,
        token_hash: &str,
        link: &OneTimeLink,
        actor: &str,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        let membership = link.account.memberships.first();
        sqlx::query(
            "INSERT INTO links (token_hash, purpose, email, name, cite, role, organisation, instance_role, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(token_hash)
        .bind(link.purpose.key())
        .bind(link.account.email.as_str())
        .bind(&link.account.name)
        .bind(membership.map(|m| m.cite.as_str()))
        .bind(membership.map(|m| m.role.key()))
        .bind(membership.and_then(|m| m.organisation.as_ref()).map(Slug::as_str))
        .bind(link.account.instance_role.map(InstanceRole::key))
        .bind(actor)
        .bind(&at)
        .bind(link.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let action = match link.purpose {
            LinkPurpose::Invitation => "invite",
            LinkPurpose::Reset => "password-reset-link",
        };
        log_activity(
            &mut tx,
            rows::cite_of(&link.account),
            actor,
            &at,
            action,
            link.account.email.as_str(),
            &rows::roles_detail(&link.account),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: i64,
    ) -> Result<Option<OneTimeLink>, StoreError> {
        let row = sqlx::query(
            "SELECT email, name, TRUE, instance_role, cite, role, organisation, expires_at FROM links
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(purpose.key())
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| {
            Ok(OneTimeLink {
                purpose,
                account: link_account(&r)?,
                expires_at: r.get(7),
            })
        })
        .transpose()
    }

    async fn use_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now_unix: i64,
        password_hash: &str,
    ) -> Result<Account, StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        // Marking it used first, conditionally: of two uses, one only succeeds.
        let row = sqlx::query(
            "UPDATE links SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4
             RETURNING email, name, TRUE, instance_role, cite, role, organisation",
        )
        .bind(&at)
        .bind(token_hash)
        .bind(purpose.key())
        .bind(now_unix)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            return Err(StoreError::InvalidLink);
        };
        let account = link_account(&row)?;
        match purpose {
            LinkPurpose::Invitation => {
                insert_account(&mut tx, &account, password_hash, &at).await?;
                log_activity(
                    &mut tx,
                    rows::cite_of(&account),
                    account.email.as_str(),
                    &at,
                    "accept-invitation",
                    account.email.as_str(),
                    &rows::roles_detail(&account),
                )
                .await?;
                tx.commit().await.map_err(db)?;
                Ok(account)
            }
            LinkPurpose::Reset => {
                let done = sqlx::query(
                    "UPDATE accounts SET password_hash = $1 WHERE email = $2 AND active",
                )
                .bind(password_hash)
                .bind(account.email.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::InvalidLink);
                }
                let Some((account, _)) =
                    read_account(&mut tx, account.email.as_str(), true).await?
                else {
                    return Err(StoreError::InvalidLink);
                };
                sqlx::query("DELETE FROM sessions WHERE email = $1")
                    .bind(account.email.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                sqlx::query(passerelle_store::RESET_ENDS_LINKS)
                    .bind(&at)
                    .bind(account.email.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                let tokens = sqlx::query(passerelle_store::RESET_ENDS_TOKENS)
                    .bind(account.email.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
                log_activity(
                    &mut tx,
                    None,
                    account.email.as_str(),
                    &at,
                    "password-reset",
                    account.email.as_str(),
                    &format!("jetons d'API révoqués : {tokens}"),
                )
                .await?;
                tx.commit().await.map_err(db)?;
                Ok(account)
            }
        }
    }

    async fn create_api_token(
        &self,
        token_hash: &str,
        email: &str,
        label: &str,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, email, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(email)
        .bind(label)
        .bind(&at)
        .bind(expires_at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        log_activity(&mut tx, None, email, &at, "create-api-token", email, label).await?;
        tx.commit().await.map_err(db)
    }

    async fn api_token(&self, token_hash: &str, now: i64) -> Result<Option<Account>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let email: Option<String> = sqlx::query_scalar(
            "SELECT email FROM api_tokens WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(token_hash)
        .bind(now)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
        let Some(email) = email else { return Ok(None) };
        Ok(read_account(&mut conn, &email, true)
            .await?
            .map(|(account, _)| account))
    }

    async fn api_tokens(&self, email: &str) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT label, created_at, expires_at FROM api_tokens WHERE email = $1 ORDER BY created_at, label",
        )
        .bind(email)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| ApiTokenInfo {
                label: r.get(0),
                created_at: r.get(1),
                expires_at: r.get(2),
            })
            .collect())
    }

    async fn revoke_api_token(&self, email: &str, label: &str) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query("DELETE FROM api_tokens WHERE email = $1 AND label = $2")
            .bind(email)
            .bind(label)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        log_activity(&mut tx, None, email, &at, "revoke-api-token", email, label).await?;
        tx.commit().await.map_err(db)
    }

    async fn record_failure(
        &self,
        key: &str,
        window_secs: i64,
        now: i64,
    ) -> Result<u32, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "INSERT INTO failures (key, count, since) VALUES ($1, 1, $2)
             ON CONFLICT (key) DO UPDATE SET
               count = CASE WHEN failures.since <= $2 - $3 THEN 1 ELSE failures.count + 1 END,
               since = CASE WHEN failures.since <= $2 - $3 THEN $2 ELSE failures.since END
             RETURNING count",
        )
        .bind(key)
        .bind(now)
        .bind(window_secs)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    async fn failures(&self, key: &str, window_secs: i64, now: i64) -> Result<u32, StoreError> {
        let count: Option<i64> =
            sqlx::query_scalar("SELECT count FROM failures WHERE key = $1 AND since > $2 - $3")
                .bind(key)
                .bind(now)
                .bind(window_secs)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        Ok(count.map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX)))
    }

    async fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn server_key(&self, name: &str, fresh: &str) -> Result<String, StoreError> {
        sqlx::query(passerelle_store::SERVER_KEY_INSERT)
            .bind(name)
            .bind(fresh)
            .bind(now())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        sqlx::query_scalar(passerelle_store::SERVER_KEY_SELECT)
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }
}

        }
    };
}
