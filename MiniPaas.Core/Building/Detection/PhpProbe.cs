namespace MiniPaas.Core.Building.Detection;

/// <summary>
/// PHP served by its built-in server. With <paramref name="requireComposer"/> only a <c>composer.json</c> counts (asked
/// before Node); without, an <c>index.php</c> or <c>public/index.php</c> is enough (asked after Node).
/// </summary>
internal sealed class PhpProbe(bool requireComposer) : IStackProbe
{
    public DetectedStack? Probe(SourceFolder folder)
    {
        var hasComposer = folder.Exists("composer.json");
        if (requireComposer ? !hasComposer : !folder.Exists("index.php") && !folder.Exists("public/index.php"))
        {
            return null;
        }

        var reasons = new List<string>();
        var manifests = new List<string>();
        string? install = null;
        if (hasComposer)
        {
            manifests.Add("composer.json");
            if (folder.Exists("composer.lock"))
            {
                manifests.Add("composer.lock");
            }

            install = "composer install --no-dev --no-interaction --no-scripts --no-autoloader --prefer-dist";
            reasons.Add("Found composer.json: a PHP app, dependencies installed with composer before the source is copied.");
        }
        else
        {
            reasons.Add("Found index.php: a PHP app.");
        }

        var docroot = folder.Exists("public/index.php") ? "public" : ".";
        reasons.Add($"Served by PHP's built-in server on 0.0.0.0:$PORT with document root '{docroot}'.");
        var framework = folder.Exists("artisan") ? "laravel" : null;
        return new DetectedStack(StackKeys.Php, hasComposer ? "composer" : null, framework,
            hasComposer ? "composer dump-autoload --optimize --no-dev" : null,
            $"php -S 0.0.0.0:$PORT -t {docroot}", reasons)
        {
            ManifestFiles = manifests,
            InstallCommand = install,
            StaticDirectory = docroot,
        };
    }
}
