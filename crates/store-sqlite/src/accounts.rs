//! Accounts, sessions, one-time links and API tokens.

use async_trait::async_trait;
use passerelle_domain::{Account, Email, Role, Slug};
use passerelle_store::{AccountStore, ApiTokenInfo, LinkPurpose, OneTimeLink, StoreError};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::{SqliteStore, db, log_activity, now};

/// An account from the columns email, name, role, organisation, active.
fn account_row(r: &SqliteRow) -> Result<Account, StoreError> {
    let email: String = r.get(0);
    let corrupt = |what: &str| StoreError::Corrupt(format!("account {email}: {what}"));
    let role: String = r.get(2);
    let organisation: Option<String> = r.get(3);
    Ok(Account {
        email: Email::parse(&email).map_err(|_| corrupt("email"))?,
        name: r.get(1),
        role: Role::from_key(&role).ok_or_else(|| corrupt("role"))?,
        organisation: organisation
            .map(|o| Slug::parse(&o))
            .transpose()
            .map_err(|_| corrupt("organisation"))?,
        active: r.get(4),
    })
}

/// Inserts an account; refuses an email already used (any case).
async fn insert_account(
    tx: &mut sqlx::SqliteConnection,
    account: &Account,
    password_hash: &str,
    at: &str,
) -> Result<(), StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO accounts (email, name, role, organisation, active, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
    )
    .bind(account.email.as_str())
    .bind(&account.name)
    .bind(account.role.key())
    .bind(account.organisation.as_ref().map(Slug::as_str))
    .bind(account.active)
    .bind(password_hash)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if inserted.rows_affected() == 0 {
        return Err(StoreError::DuplicateAccount(account.email.to_string()));
    }
    Ok(())
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        insert_account(&mut tx, account, password_hash, &at).await?;
        log_activity(
            &mut tx,
            actor,
            &at,
            "create-account",
            account.email.as_str(),
            account.role.key(),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn account(&self, email: &str) -> Result<Option<(Account, String)>, StoreError> {
        let row = sqlx::query("SELECT email, name, role, organisation, active, password_hash FROM accounts WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(|r| Ok((account_row(&r)?, r.get(5)))).transpose()
    }

    async fn create_session(
        &self,
        token_hash: &str,
        email: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < unixepoch()")
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query("INSERT INTO sessions (token_hash, email, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
            .bind(token_hash)
            .bind(email)
            .bind(csrf)
            .bind(&at)
            .bind(expires_at)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        log_activity(&mut tx, email, &at, "sign-in", email, "").await?;
        tx.commit().await.map_err(db)
    }

    async fn session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT a.email, s.csrf FROM sessions s JOIN accounts a ON a.email = s.email
             WHERE s.token_hash = ? AND s.expires_at > ? AND a.active = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let email: String = row.get(0);
        let csrf: String = row.get(1);
        Ok(self
            .account(&email)
            .await?
            .map(|(account, _)| (account, csrf)))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn count_administrators(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM accounts WHERE role = 'administrateur' AND active = 1",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(
            "SELECT email, name, role, organisation, active FROM accounts ORDER BY email",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(account_row).collect()
    }

    async fn update_account(&self, account: &Account, actor: &str) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        let updated = sqlx::query(
            "UPDATE accounts SET name = ?, role = ?, organisation = ?, active = ? WHERE email = ?",
        )
        .bind(&account.name)
        .bind(account.role.key())
        .bind(account.organisation.as_ref().map(Slug::as_str))
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
            sqlx::query("DELETE FROM sessions WHERE email = ?")
                .bind(account.email.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query("DELETE FROM api_tokens WHERE email = ?")
                .bind(account.email.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let detail = format!(
            "{}{}",
            account.role.key(),
            if account.active { "" } else { ", désactivé" }
        );
        log_activity(
            &mut tx,
            actor,
            &at,
            "update-account",
            account.email.as_str(),
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
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO links (token_hash, purpose, email, name, role, organisation, created_by, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(link.purpose.key())
        .bind(link.account.email.as_str())
        .bind(&link.account.name)
        .bind(link.account.role.key())
        .bind(link.account.organisation.as_ref().map(Slug::as_str))
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
            actor,
            &at,
            action,
            link.account.email.as_str(),
            link.account.role.key(),
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
            "SELECT email, name, COALESCE(role, 'contributeur'), organisation, 1, expires_at FROM links
             WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
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
                account: account_row(&r)?,
                expires_at: r.get(5),
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
        let mut tx = self.pool.begin().await.map_err(db)?;
        // Marking it used first, conditionally: of two uses, one only succeeds.
        let row = sqlx::query(
            "UPDATE links SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
             RETURNING email, name, COALESCE(role, 'contributeur'), organisation, 1",
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
        let account = account_row(&row)?;
        match purpose {
            LinkPurpose::Invitation => {
                insert_account(&mut tx, &account, password_hash, &at).await?;
                log_activity(
                    &mut tx,
                    account.email.as_str(),
                    &at,
                    "accept-invitation",
                    account.email.as_str(),
                    account.role.key(),
                )
                .await?;
                tx.commit().await.map_err(db)?;
                Ok(account)
            }
            LinkPurpose::Reset => {
                let row = sqlx::query(
                    "UPDATE accounts SET password_hash = ? WHERE email = ? AND active = 1
                     RETURNING email, name, role, organisation, active",
                )
                .bind(password_hash)
                .bind(account.email.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                let Some(row) = row else {
                    return Err(StoreError::InvalidLink);
                };
                let account = account_row(&row)?;
                sqlx::query("DELETE FROM sessions WHERE email = ?")
                    .bind(account.email.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                log_activity(
                    &mut tx,
                    account.email.as_str(),
                    &at,
                    "password-reset",
                    account.email.as_str(),
                    "",
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
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, email, label, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(email)
        .bind(label)
        .bind(&at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        log_activity(&mut tx, email, &at, "create-api-token", email, label).await?;
        tx.commit().await.map_err(db)
    }

    async fn api_token(&self, token_hash: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(
            "SELECT a.email, a.name, a.role, a.organisation, a.active FROM api_tokens t
             JOIN accounts a ON a.email = t.email WHERE t.token_hash = ? AND a.active = 1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| account_row(&r)).transpose()
    }

    async fn api_tokens(&self, email: &str) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT label, created_at FROM api_tokens WHERE email = ? ORDER BY created_at, label",
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
            })
            .collect())
    }

    async fn revoke_api_token(&self, email: &str, label: &str) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM api_tokens WHERE email = ? AND label = ?")
            .bind(email)
            .bind(label)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        log_activity(&mut tx, email, &at, "revoke-api-token", email, label).await?;
        tx.commit().await.map_err(db)
    }
}
