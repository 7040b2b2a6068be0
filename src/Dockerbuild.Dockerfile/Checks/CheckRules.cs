using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>The rule names and message texts, word for word as BuildKit's linter/ruleset.go has them.</summary>
internal static class CheckRules
{
    public const string StageNameCasing = nameof(StageNameCasing);
    public const string FromAsCasing = nameof(FromAsCasing);
    public const string NoEmptyContinuation = nameof(NoEmptyContinuation);
    public const string ConsistentInstructionCasing = nameof(ConsistentInstructionCasing);
    public const string DuplicateStageName = nameof(DuplicateStageName);
    public const string ReservedStageName = nameof(ReservedStageName);
    public const string JSONArgsRecommended = nameof(JSONArgsRecommended);
    public const string MaintainerDeprecated = nameof(MaintainerDeprecated);
    public const string UndefinedArgInFrom = nameof(UndefinedArgInFrom);
    public const string WorkdirRelativePath = nameof(WorkdirRelativePath);
    public const string UndefinedVar = nameof(UndefinedVar);
    public const string MultipleInstructionsDisallowed = nameof(MultipleInstructionsDisallowed);
    public const string LegacyKeyValueFormat = nameof(LegacyKeyValueFormat);
    public const string SecretsUsedInArgOrEnv = nameof(SecretsUsedInArgOrEnv);
    public const string InvalidDefaultArgInFrom = nameof(InvalidDefaultArgInFrom);
    public const string ExposeProtoCasing = nameof(ExposeProtoCasing);
    public const string InvalidBaseImagePlatform = nameof(InvalidBaseImagePlatform);
    public const string RedundantTargetPlatform = nameof(RedundantTargetPlatform);
    public const string FromPlatformFlagConstDisallowed = nameof(FromPlatformFlagConstDisallowed);
    public const string CopyIgnoredFile = nameof(CopyIgnoredFile);
    public const string InvalidDefinitionDescription = nameof(InvalidDefinitionDescription);
    public const string ExposeInvalidFormat = nameof(ExposeInvalidFormat);

    /// <summary>Every rule in ruleset.go's order, with its description and documentation page.</summary>
    public static readonly IReadOnlyList<CheckRule> Rules =
    [
        Rule(StageNameCasing, "Stage names should be lowercase"),
        Rule(FromAsCasing, "The 'as' keyword should match the case of the 'from' keyword"),
        Rule(NoEmptyContinuation, "Empty continuation lines will become errors in a future release"),
        Rule(ConsistentInstructionCasing, "All commands within the Dockerfile should use the same casing (either upper or lower)"),
        Rule(DuplicateStageName, "Stage names should be unique"),
        Rule(ReservedStageName, "Reserved words should not be used as stage names"),
        Rule(JSONArgsRecommended, "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals"),
        Rule(MaintainerDeprecated, "The MAINTAINER instruction is deprecated, use a label instead to define an image author"),
        Rule(UndefinedArgInFrom, "FROM command must use declared ARGs"),
        Rule(WorkdirRelativePath, "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes"),
        Rule(UndefinedVar, "Variables should be defined before their use"),
        Rule(MultipleInstructionsDisallowed, "Multiple instructions of the same type should not be used in the same stage"),
        Rule(LegacyKeyValueFormat, "Legacy key/value format with whitespace separator should not be used"),
        // The one rule without a documentation page: BuildKit gives it no URL.
        new CheckRule(InvalidBaseImagePlatform, "Base image platform does not match expected target platform", null, false),
        Rule(RedundantTargetPlatform, "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior"),
        Rule(SecretsUsedInArgOrEnv, "Sensitive data should not be used in the ARG or ENV commands"),
        Rule(InvalidDefaultArgInFrom, "Default value for global ARG results in an empty or invalid base image name"),
        Rule(FromPlatformFlagConstDisallowed, "FROM --platform flag should not use a constant value"),
        Rule(CopyIgnoredFile, "Attempting to Copy file that is excluded by .dockerignore", experimental: true),
        Rule(
            InvalidDefinitionDescription,
            "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.",
            experimental: true),
        Rule(ExposeProtoCasing, "Protocol in EXPOSE instruction should be lowercase"),
        Rule(ExposeInvalidFormat, "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release"),
    ];

    public static readonly IReadOnlyList<string> All = [.. Rules.Select(r => r.Name)];

    /// <summary>Experimental rules run only when <c># check=experimental=...</c> names them (or says all).</summary>
    public static bool IsExperimental(string rule) => Rules.Any(r => r.IsExperimental && r.Name == rule);

    public static string InvalidBaseImagePlatformMessage(string image, string expected, string actual) =>
        $"Base image {image} was pulled with platform {GoQuote.Quote(actual)}, expected {GoQuote.Quote(expected)} for current build";

    public static string RedundantTargetPlatformMessage(string platformVar) =>
        $"Setting platform to predefined {platformVar} in FROM is redundant as this is the default behavior";

    public static string FromPlatformFlagConstDisallowedMessage(string platform) =>
        $"FROM --platform flag should not use constant value {GoQuote.Quote(platform)}";

    public static string CopyIgnoredFileMessage(string command, string file) =>
        $"Attempting to {command} file {GoQuote.Quote(file)} that is excluded by .dockerignore";

    public static string InvalidDefinitionDescriptionMessage(string instruction, string name) =>
        $"Comment for {instruction} should follow the format: `# {name} <description>`";

    public static string ExposeInvalidFormatMessage(string port) =>
        $"EXPOSE instruction should not define an IP address or host-port mapping, found '{port}'";

    /// <summary>A rule documented at docs.docker.com/go/dockerfile/rule/ under its kebab-cased name (BuildKit's short links).</summary>
    private static CheckRule Rule(string name, string description, bool experimental = false) =>
        new(name, description, $"https://docs.docker.com/go/dockerfile/rule/{Kebab(name)}/", experimental);

    private static string Kebab(string name)
    {
        var kebab = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            // A capital starts a word unless it continues an acronym (JSONArgs -> json-args).
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                kebab.Append('-');
            }

            kebab.Append(char.ToLowerInvariant(c));
        }

        return kebab.ToString();
    }

    public static string StageNameCasingMessage(string stageName) => $"Stage name '{stageName}' should be lowercase";

    public static string FromAsCasingMessage(string from, string @as) => $"'{@as}' and '{from}' keywords' casing do not match";

    public static string NoEmptyContinuationMessage() => "Empty continuation line";

    public static string ConsistentInstructionCasingMessage(string command, string casing) =>
        $"Command '{command}' should match the case of the command majority ({casing})";

    public static string DuplicateStageNameMessage(string stageName) =>
        $"Duplicate stage name {GoQuote.Quote(stageName)}, stage names should be unique";

    public static string ReservedStageNameMessage(string stageName) =>
        $"Stage name should not use the same name as reserved stage {GoQuote.Quote(stageName)}";

    public static string JSONArgsRecommendedMessage(string instruction) =>
        $"JSON arguments recommended for {instruction} to prevent unintended behavior related to OS signals";

    public static string MaintainerDeprecatedMessage() => "Maintainer instruction is deprecated in favor of using label";

    public static string UndefinedArgInFromMessage(string arg, string? suggestion) =>
        $"FROM argument '{arg}' is not declared" + (suggestion is null ? "" : $" (did you mean {suggestion}?)");

    public static string WorkdirRelativePathMessage(string workdir) =>
        $"Relative workdir {GoQuote.Quote(workdir)} can have unexpected results if the base image changes";

    public static string UndefinedVarMessage(string arg, string? suggestion) =>
        $"Usage of undefined variable '${arg}'" + (suggestion is null ? "" : $" (did you mean ${suggestion}?)");

    public static string MultipleInstructionsDisallowedMessage(string instruction) =>
        $"Multiple {instruction} instructions should not be used in the same stage because only the last one will be used";

    public static string LegacyKeyValueFormatMessage(string command) =>
        $"\"{command} key=value\" should be used instead of legacy \"{command} key value\" format";

    public static string SecretsUsedInArgOrEnvMessage(string instruction, string key) =>
        $"Do not use ARG or ENV instructions for sensitive data ({instruction} {GoQuote.Quote(key)})";

    public static string InvalidDefaultArgInFromMessage(string baseName) =>
        $"Default value for ARG {baseName} results in empty or invalid base image name";

    public static string ExposeProtoCasingMessage(string port) =>
        $"Defined protocol '{port}' in EXPOSE instruction should be lowercase";
}
