namespace MiniPaas.Core.Variables;

/// <summary>What importing a pasted <c>.env</c> would do to one key.</summary>
public enum VariableImportKind
{
    Added,
    Changed,
    Unchanged,
    Refused,
}

/// <summary>One line of the preview: the key, what happens to it, why it is refused or what to watch out for.</summary>
public sealed record VariableImportChange(string Key, VariableImportKind Kind, int Line, string? Error, IReadOnlyList<string> Warnings);

/// <summary>Compares a parsed <c>.env</c> with the project's current variables, before anything is saved. Keys absent from the paste are left alone.</summary>
public static class DotEnvImport
{
    public static IReadOnlyList<VariableImportChange> Preview(IReadOnlyList<ProjectVariable> current, DotEnvParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(parsed);
        var existing = current.ToDictionary(v => v.Key, StringComparer.Ordinal);
        return parsed.Entries.Select(entry =>
        {
            var keyCheck = VariableRules.CheckKey(entry.Key);
            var valueCheck = VariableRules.CheckValue(entry.Value);
            if (!keyCheck.IsValid || !valueCheck.IsValid)
            {
                return new VariableImportChange(entry.Key, VariableImportKind.Refused, entry.Line, keyCheck.Error ?? valueCheck.Error, []);
            }

            var kind = !existing.TryGetValue(entry.Key, out var now) ? VariableImportKind.Added
                : now.CanDecrypt && now.Value == entry.Value ? VariableImportKind.Unchanged
                : VariableImportKind.Changed;
            return new VariableImportChange(entry.Key, kind, entry.Line, null, keyCheck.Warnings);
        }).ToList();
    }

    /// <summary>The entries to save for a preview: added and changed keys only (new ones become secrets by <see cref="SecretRule"/>).</summary>
    public static IReadOnlyList<VariableInput> ToSave(IReadOnlyList<VariableImportChange> preview, DotEnvParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(preview);
        ArgumentNullException.ThrowIfNull(parsed);
        var saving = preview.Where(p => p.Kind is VariableImportKind.Added or VariableImportKind.Changed).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        return parsed.Entries.Where(e => saving.Contains(e.Key)).Select(e => new VariableInput(e.Key, e.Value)).ToList();
    }
}
