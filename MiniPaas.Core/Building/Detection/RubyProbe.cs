using System.Text.RegularExpressions;

namespace MiniPaas.Core.Building.Detection;

/// <summary>Ruby: a <c>Gemfile</c>; Rails, else a Rack app (<c>config.ru</c>), else a plain script.</summary>
internal sealed class RubyProbe : IStackProbe
{
    private const string Install = "bundle install";
    private static readonly string[] Scripts = ["app.rb", "main.rb", "server.rb"];

    public DetectedStack? Probe(SourceFolder folder)
    {
        if (!folder.Exists("Gemfile"))
        {
            return null;
        }

        var gemfile = folder.Read("Gemfile");
        var reasons = new List<string> { "Found Gemfile: a Ruby app, gems installed with bundler." };
        var manifests = new List<string> { "Gemfile" };
        if (folder.Exists("Gemfile.lock"))
        {
            manifests.Add("Gemfile.lock");
            reasons.Add("Found Gemfile.lock: installed frozen to the lockfile.");
        }

        DetectedStack Ruby(string? framework, string? build, string start) =>
            new(StackKeys.Ruby, "bundler", framework, build, start, reasons) { ManifestFiles = manifests, InstallCommand = Install };

        if (GemRegex("rails").IsMatch(gemfile) || folder.Exists("config/application.rb"))
        {
            reasons.Add("Gemfile lists rails (or config/application.rb exists): Rails server bound to 0.0.0.0:$PORT.");
            return Ruby("rails",
                folder.Exists("app/assets") || folder.Exists("app/javascript") ? "SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile" : null,
                "bundle exec rails server -b 0.0.0.0 -p $PORT");
        }

        if (folder.Exists("config.ru"))
        {
            reasons.Add("Found config.ru: a Rack app started with rackup on 0.0.0.0:$PORT.");
            return Ruby("rack", null, "bundle exec rackup -o 0.0.0.0 -p $PORT");
        }

        var script = Scripts.FirstOrDefault(folder.Exists)
            ?? throw new StackNotDetectedException("Found Gemfile but no Rails app, no config.ru and no app.rb/main.rb/server.rb to start.");
        reasons.Add($"No Rails or config.ru; starting {script} (it should listen on $PORT).");
        return Ruby(null, null, $"bundle exec ruby {script}");
    }

    private static Regex GemRegex(string gem) => new($@"^\s*gem\s+['""]{Regex.Escape(gem)}['""]", RegexOptions.Multiline | RegexOptions.CultureInvariant);
}
