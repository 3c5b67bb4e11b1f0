/// An API key as any text tms makes shows it: `••••9f3a`. The one place keys are masked.
public func maskKey(_ key: String) -> String {
    "••••" + String(key.suffix(4))
}
