using System.Text;

namespace MiniPaas.Core.Variables;

/// <summary>
/// Expands <c>${NAME}</c> references between a project's variables when they are injected into a container.
/// Rules: <c>${NAME}</c> naming another variable of the project is replaced by that variable's expanded value; the text a
/// reference brings in is not scanned again (expanded once); a reference to a name that is not a project variable, and
/// anything else using <c>$</c> (<c>$NAME</c>, <c>$(id)</c>), is kept verbatim; <c>$${</c> writes a literal <c>${</c>;
/// a cycle (A uses B, B uses A) is refused with the keys involved.
/// </summary>
public static class VariableExpansion
{
    /// <summary>Returns the expanded variables, or throws <see cref="VariableExpansionException"/> naming the cycle.</summary>
    public static IReadOnlyDictionary<string, string> Expand(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var done = new Dictionary<string, string>(StringComparer.Ordinal);
        var visiting = new List<string>();
        foreach (var key in variables.Keys.Order(StringComparer.Ordinal))
        {
            Resolve(key, variables, done, visiting);
        }

        return done;
    }

    private static string Resolve(string key, IReadOnlyDictionary<string, string> variables, Dictionary<string, string> done, List<string> visiting)
    {
        if (done.TryGetValue(key, out var known))
        {
            return known;
        }

        var at = visiting.IndexOf(key);
        if (at >= 0)
        {
            var cycle = string.Join(" → ", visiting.Skip(at).Append(key));
            throw new VariableExpansionException($"Variables refer to each other in a cycle: {cycle}. Replace one of the ${{…}} references with a value.");
        }

        visiting.Add(key);
        var value = variables[key];
        var result = new StringBuilder(value.Length);
        foreach (var (text, reference) in Segments(value, variables))
        {
            result.Append(reference is null ? text : Resolve(reference, variables, done, visiting));
        }

        visiting.RemoveAt(visiting.Count - 1);
        var expanded = result.ToString();
        done[key] = expanded;
        return expanded;
    }

    /// <summary>The variables <paramref name="value"/> refers to with <c>${NAME}</c> (not through <c>$${</c>, and only names in <paramref name="variables"/>).</summary>
    public static IEnumerable<string> References(string value, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(variables);
        return Segments(value, variables).Where(s => s.Reference is not null).Select(s => s.Reference!);
    }

    // The value cut into literal text and references to project variables, by the rules in the type's summary.
    private static IEnumerable<(string Text, string? Reference)> Segments(string value, IReadOnlyDictionary<string, string> variables)
    {
        var text = new StringBuilder();
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] == '$' && i + 2 < value.Length && value[i + 1] == '$' && value[i + 2] == '{')
            {
                text.Append("${");
                i += 3;
                continue;
            }

            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '{')
            {
                var close = value.IndexOf('}', i + 2);
                if (close > 0)
                {
                    var name = value[(i + 2)..close];
                    if (variables.ContainsKey(name))
                    {
                        yield return (text.ToString(), null);
                        text.Clear();
                        yield return ("", name);
                        i = close + 1;
                        continue;
                    }
                }
            }

            text.Append(value[i]);
            i++;
        }

        yield return (text.ToString(), null);
    }
}

/// <summary>Variables cannot be expanded (a reference cycle).</summary>
public sealed class VariableExpansionException(string message) : Exception(message);
