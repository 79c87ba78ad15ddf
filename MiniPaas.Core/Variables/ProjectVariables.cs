using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Variables;

/// <summary>
/// A project's environment variables: listed, set and deleted here, values encrypted at rest with ASP.NET Core Data
/// Protection (key ring in the database, table <c>data_protection_keys</c>). Every change is audited without its value.
/// </summary>
public sealed class ProjectVariables(
    IDbContextFactory<MiniPaasDbContext> contexts,
    IDataProtectionProvider protection,
    TimeProvider time,
    ILogger<ProjectVariables> logger)
{
    // The purpose chain binds each ciphertext to its project: a value copied into another project's row does not decrypt.
    private const string Purpose = "MiniPaas.Variables.v1";

    /// <summary>Audit actions of <see cref="SetBuildTimeAsync"/>.</summary>
    public const string BuildTimeOnAction = "build-time on";

    /// <inheritdoc cref="BuildTimeOnAction"/>
    public const string BuildTimeOffAction = "build-time off";

    /// <summary>Audit actions of <see cref="SetSecretAsync"/>; they do not change what a container sees.</summary>
    public const string SecretOnAction = "secret on";

    /// <inheritdoc cref="SecretOnAction"/>
    public const string SecretOffAction = "secret off";

    // Audited actions that leave the container's environment as it was.
    private static readonly string[] NotEnvironmentChanges = [ProjectSuggestions.DismissedAction, SecretOnAction, SecretOffAction];

    /// <summary>The project's variables ordered by key; a row that cannot be decrypted is listed with <see cref="ProjectVariable.CanDecrypt"/> false.</summary>
    public async Task<IReadOnlyList<ProjectVariable>> ListAsync(long projectId, CancellationToken ct = default)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.EnvVars.AsNoTracking().Where(v => v.ProjectId == projectId).OrderBy(v => v.Key).ToListAsync(ct).ConfigureAwait(false);
            var protector = ProtectorFor(projectId);
            return rows.Select(row => TryDecrypt(protector, row.EncryptedValue, out var value)
                    ? new ProjectVariable(row.Key, value, true, row.IsBuildTime, row.UpdatedAt, row.IsSecret)
                    : Undecryptable(projectId, row))
                .ToList();
        }
    }

    /// <summary>Creates or replaces one variable (secret by <see cref="SecretRule"/> when new). Refuses invalid or platform-owned keys and oversized values.</summary>
    public Task<VariableChangeResult> SetAsync(long projectId, string key, string value, string actor, CancellationToken ct = default) =>
        SetManyAsync(projectId, [new VariableInput(key, value)], actor, ct);

    /// <summary>Creates or replaces one variable with its secret flag given (<see cref="VariableInput.IsSecret"/>).</summary>
    public Task<VariableChangeResult> SetAsync(long projectId, VariableInput variable, string actor, CancellationToken ct = default) =>
        SetManyAsync(projectId, [variable], actor, ct);

    /// <summary>
    /// Creates or replaces several variables at once (a pasted <c>.env</c>, accepted suggestions): all are checked first, then
    /// saved together or not at all. Each new one without a flag given is a secret when <see cref="SecretRule"/> says so.
    /// </summary>
    public async Task<VariableChangeResult> SetManyAsync(
        long projectId, IReadOnlyList<VariableInput> variables, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var warnings = new List<string>();
        foreach (var (key, value, _) in variables)
        {
            var keyCheck = VariableRules.CheckKey(key);
            if (!keyCheck.IsValid)
            {
                return VariableChangeResult.Refused(variables.Count == 1 ? keyCheck.Error! : $"{key}: {keyCheck.Error}");
            }

            var valueCheck = VariableRules.CheckValue(value);
            if (!valueCheck.IsValid)
            {
                return VariableChangeResult.Refused($"{key}: {valueCheck.Error}");
            }

            warnings.AddRange(keyCheck.Warnings);
        }

        var duplicate = variables.GroupBy(v => v.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return VariableChangeResult.Refused($"{duplicate.Key} is given more than once.");
        }

        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            if (!await db.Projects.AnyAsync(p => p.Id == projectId, ct).ConfigureAwait(false))
            {
                return VariableChangeResult.Refused($"Project {projectId} does not exist.");
            }

            var keys = variables.Select(v => v.Key).ToList();
            var existing = await db.EnvVars.Where(v => v.ProjectId == projectId && keys.Contains(v.Key))
                .ToDictionaryAsync(v => v.Key, StringComparer.Ordinal, ct).ConfigureAwait(false);
            var protector = ProtectorFor(projectId);
            var now = time.GetUtcNow();
            foreach (var (key, value, isSecret) in variables)
            {
                var encrypted = protector.Protect(value);
                if (existing.TryGetValue(key, out var row))
                {
                    row.EncryptedValue = encrypted;
                    row.UpdatedAt = now;
                    var secret = isSecret ?? (row.IsSecret || SecretRule.HasUrlPassword(value));
                    if (secret != row.IsSecret)
                    {
                        row.IsSecret = secret;
                        db.EnvVarAudit.Add(new EnvVarAuditRecord { ProjectId = projectId, Key = key, Action = secret ? SecretOnAction : SecretOffAction, Actor = actor, At = now });
                    }
                }
                else
                {
                    db.EnvVars.Add(new EnvVarRecord
                    {
                        ProjectId = projectId, Key = key, EncryptedValue = encrypted, IsSecret = isSecret ?? SecretRule.LooksSecret(key, value),
                        CreatedAt = now, UpdatedAt = now,
                    });
                }

                db.EnvVarAudit.Add(new EnvVarAuditRecord { ProjectId = projectId, Key = key, Action = row is null ? "created" : "updated", Actor = actor, At = now });
            }

            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another editor created one of these keys, or the project was deleted, between our read and this write.
                return VariableChangeResult.Refused("The variables changed meanwhile (another tab or user); reload and try again.");
            }

            logger.VariablesSet(projectId, variables.Count, actor);
            return new VariableChangeResult(true, null, warnings);
        }
    }

    /// <summary>Deletes one variable; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(long projectId, string key, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.EnvVars.SingleOrDefaultAsync(v => v.ProjectId == projectId && v.Key == key, ct).ConfigureAwait(false);
            if (row is null)
            {
                return false;
            }

            db.EnvVars.Remove(row);
            db.EnvVarAudit.Add(new EnvVarAuditRecord { ProjectId = projectId, Key = key, Action = "deleted", Actor = actor, At = time.GetUtcNow() });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            logger.VariableDeleted(projectId, key, actor);
            return true;
        }
    }

    /// <summary>
    /// Marks a variable as needed at build time (passed to the image build as a build argument) or not (container Env
    /// only); false when the variable does not exist. Audited, and counts as a change (the next build must see it).
    /// </summary>
    public async Task<bool> SetBuildTimeAsync(long projectId, string key, bool isBuildTime, string actor, CancellationToken ct = default)
    {
        var changed = await SetFlagAsync(projectId, key, actor, row => row.IsBuildTime, (row, on) => row.IsBuildTime = on, isBuildTime,
            isBuildTime ? BuildTimeOnAction : BuildTimeOffAction, ct).ConfigureAwait(false);
        if (changed is true)
        {
            logger.BuildTimeChanged(projectId, key, isBuildTime, actor);
        }

        return changed is not null;
    }

    /// <summary>
    /// Marks a variable as a secret (masked in logs, failure reasons and the UI) or as plain configuration; false when the
    /// variable does not exist. Audited; not a change of the environment (no redeploy needed: masking follows within seconds).
    /// </summary>
    public async Task<bool> SetSecretAsync(long projectId, string key, bool isSecret, string actor, CancellationToken ct = default)
    {
        var changed = await SetFlagAsync(projectId, key, actor, row => row.IsSecret, (row, on) => row.IsSecret = on, isSecret,
            isSecret ? SecretOnAction : SecretOffAction, ct).ConfigureAwait(false);
        if (changed is true)
        {
            logger.SecretChanged(projectId, key, isSecret, actor);
        }

        return changed is not null;
    }

    // Null when the variable does not exist, false when the flag already had that value, true when changed (and audited).
    private async Task<bool?> SetFlagAsync(
        long projectId, string key, string actor, Func<EnvVarRecord, bool> get, Action<EnvVarRecord, bool> set, bool value, string action, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.EnvVars.SingleOrDefaultAsync(v => v.ProjectId == projectId && v.Key == key, ct).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            if (get(row) == value)
            {
                return false;
            }

            set(row, value);
            var now = time.GetUtcNow();
            row.UpdatedAt = now;
            db.EnvVarAudit.Add(new EnvVarAuditRecord { ProjectId = projectId, Key = key, Action = action, Actor = actor, At = now });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>The audit trail of the project's variables, newest first.</summary>
    public async Task<IReadOnlyList<VariableAuditEntry>> ListAuditAsync(long projectId, int limit = 200, CancellationToken ct = default)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.EnvVarAudit.AsNoTracking().Where(a => a.ProjectId == projectId)
                .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(limit)
                .Select(a => new VariableAuditEntry(a.Key, a.Action, a.Actor, a.At))
                .ToListAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>When the project's variables last changed (set or deleted); null when never. The dashboard compares it with the running deployment's start.</summary>
    public async Task<DateTimeOffset?> LastChangedAtAsync(long projectId, CancellationToken ct = default)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.EnvVarAudit.Where(a => a.ProjectId == projectId && !NotEnvironmentChanges.Contains(a.Action)).MaxAsync(a => (DateTimeOffset?)a.At, ct).ConfigureAwait(false);
        }
    }

    private IDataProtector ProtectorFor(long projectId) =>
        protection.CreateProtector(Purpose, projectId.ToString(CultureInfo.InvariantCulture));

    private ProjectVariable Undecryptable(long projectId, EnvVarRecord row)
    {
        logger.CannotDecrypt(projectId, row.Key);
        return new ProjectVariable(row.Key, null, false, row.IsBuildTime, row.UpdatedAt, row.IsSecret);
    }

    private static bool TryDecrypt(IDataProtector protector, string encrypted, out string? value)
    {
        try
        {
            value = protector.Unprotect(encrypted);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // A lost or replaced key ring, or a damaged row: only this row is affected.
            value = null;
            return false;
        }
    }
}
