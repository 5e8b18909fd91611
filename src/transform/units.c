/*
 * The unit table. Factors are the exact definitions (NIST SP 811, the 1959 international yard
 * and pound): lb = 0.45359237 kg, in = 0.0254 m, mi = 1609.344 m, psi = lbf/in², ... A value
 * in the dimension's base unit is (v + offset) * factor; only temperatures have an offset, and
 * their base is °C so that the usual conversions are the direct formulas ((F - 32) × 5/9, not
 * through kelvin: 32 °F gave 5.7e-14 °C).
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "sluice/transform.h"

struct alias {
    const char *alias; /* matched exactly first, then case-insensitively */
    int unit;          /* index in units[] */
};

#define LBF 4.4482216152605 /* N: 0.45359237 kg × 9.80665 m/s² */

static const struct sl_unit units[] = {
    /* mass, base kg */
    {"kg", "mass", 1, 0},
    {"g", "mass", 1e-3, 0},
    {"mg", "mass", 1e-6, 0},
    {"t", "mass", 1000, 0},
    {"lb", "mass", 0.45359237, 0},
    {"oz", "mass", 0.028349523125, 0},
    {"st", "mass", 6.35029318, 0},
    /* length, base m */
    {"m", "length", 1, 0},
    {"km", "length", 1000, 0},
    {"cm", "length", 0.01, 0},
    {"mm", "length", 0.001, 0},
    {"in", "length", 0.0254, 0},
    {"ft", "length", 0.3048, 0},
    {"yd", "length", 0.9144, 0},
    {"mi", "length", 1609.344, 0},
    {"nmi", "length", 1852, 0},
    /* temperature, base degC */
    {"K", "temperature", 1, -273.15},
    {"degC", "temperature", 1, 0},
    {"degF", "temperature", 5.0 / 9.0, -32},
    /* speed, base m/s */
    {"m/s", "speed", 1, 0},
    {"km/h", "speed", 1000.0 / 3600.0, 0},
    {"mph", "speed", 0.44704, 0},
    {"kn", "speed", 1852.0 / 3600.0, 0},
    {"ft/s", "speed", 0.3048, 0},
    /* energy, base J */
    {"J", "energy", 1, 0},
    {"kJ", "energy", 1000, 0},
    {"MJ", "energy", 1e6, 0},
    {"cal", "energy", 4.184, 0},
    {"kcal", "energy", 4184, 0},
    {"Wh", "energy", 3600, 0},
    {"kWh", "energy", 3.6e6, 0},
    {"BTU", "energy", 1055.05585262, 0},
    /* pressure, base Pa */
    {"Pa", "pressure", 1, 0},
    {"hPa", "pressure", 100, 0},
    {"kPa", "pressure", 1000, 0},
    {"MPa", "pressure", 1e6, 0},
    {"bar", "pressure", 1e5, 0},
    {"mbar", "pressure", 100, 0},
    {"atm", "pressure", 101325, 0},
    {"psi", "pressure", LBF / (0.0254 * 0.0254), 0},
    {"mmHg", "pressure", 133.322387415, 0},
    {"inHg", "pressure", 3386.389, 0},
    /* volume, base m³ */
    {"m3", "volume", 1, 0},
    {"L", "volume", 1e-3, 0},
    {"dL", "volume", 1e-4, 0},
    {"cL", "volume", 1e-5, 0},
    {"mL", "volume", 1e-6, 0},
    {"gal", "volume", 3.785411784e-3, 0},
    {"qt", "volume", 0.946352946e-3, 0},
    {"pt", "volume", 0.473176473e-3, 0},
    {"cup", "volume", 0.2365882365e-3, 0},
    {"fl_oz", "volume", 29.5735295625e-6, 0},
    {"imp_gal", "volume", 4.54609e-3, 0},
    /* time, base s */
    {"s", "time", 1, 0},
    {"ms", "time", 1e-3, 0},
    {"min", "time", 60, 0},
    {"h", "time", 3600, 0},
    {"d", "time", 86400, 0},
    {"wk", "time", 604800, 0},
    /* frequency (heart rate, cadence), base Hz */
    {"Hz", "frequency", 1, 0},
    {"bpm", "frequency", 1.0 / 60.0, 0},
};

enum {
    KG,
    G,
    MG,
    T,
    LB,
    OZ,
    ST,
    M,
    KM,
    CM,
    MM,
    IN,
    FT,
    YD,
    MI,
    NMI,
    K,
    DEGC,
    DEGF,
    MPS,
    KMH,
    MPH,
    KN,
    FPS,
    J,
    KJ,
    MJ,
    CAL,
    KCAL,
    WH,
    KWH,
    BTU,
    PA,
    HPA,
    KPA,
    MPA,
    BAR,
    MBAR,
    ATM,
    PSI,
    MMHG,
    INHG,
    M3,
    L,
    DL,
    CL,
    ML,
    GAL,
    QT,
    PT,
    CUP,
    FLOZ,
    IMPGAL,
    S,
    MS,
    MIN,
    H,
    D,
    WK,
    HZ,
    BPM
};

static const struct alias aliases[] = {
    {"kilogram", KG},
    {"kilograms", KG},
    {"kgs", KG},
    {"gram", G},
    {"grams", G},
    {"gr", G},
    {"milligram", MG},
    {"milligrams", MG},
    {"tonne", T},
    {"tonnes", T},
    {"lbs", LB},
    {"pound", LB},
    {"pounds", LB},
    {"ounce", OZ},
    {"ounces", OZ},
    {"stone", ST},
    {"meter", M},
    {"meters", M},
    {"metre", M},
    {"metres", M},
    {"kilometer", KM},
    {"kilometers", KM},
    {"kilometre", KM},
    {"centimeter", CM},
    {"centimeters", CM},
    {"millimeter", MM},
    {"millimeters", MM},
    {"inch", IN},
    {"inches", IN},
    {"\"", IN},
    {"foot", FT},
    {"feet", FT},
    {"'", FT},
    {"yard", YD},
    {"yards", YD},
    {"mile", MI},
    {"miles", MI},
    {"nautical_mile", NMI},
    {"kelvin", K},
    {"°C", DEGC},
    {"℃", DEGC},
    {"C", DEGC},
    {"celsius", DEGC},
    {"deg_c", DEGC},
    {"°F", DEGF},
    {"℉", DEGF},
    {"F", DEGF},
    {"fahrenheit", DEGF},
    {"deg_f", DEGF},
    {"mps", MPS},
    {"meters_per_second", MPS},
    {"kph", KMH},
    {"kmh", KMH},
    {"km/hr", KMH},
    {"kilometers_per_hour", KMH},
    {"mi/h", MPH},
    {"miles_per_hour", MPH},
    {"knot", KN},
    {"knots", KN},
    {"kt", KN},
    {"fps", FPS},
    {"joule", J},
    {"joules", J},
    {"kilojoule", KJ},
    {"kilojoules", KJ},
    {"calorie", CAL},
    {"calories", CAL},
    {"Cal", KCAL},
    {"kilocalorie", KCAL},
    {"kilocalories", KCAL},
    {"watt_hour", WH},
    {"kilowatt_hour", KWH},
    {"btu", BTU},
    {"pascal", PA},
    {"mb", MBAR},
    {"millibar", MBAR},
    {"atmosphere", ATM},
    {"lbf/in2", PSI},
    {"mm_hg", MMHG},
    {"in_hg", INHG},
    {"m³", M3},
    {"cubic_meter", M3},
    {"l", L},
    {"liter", L},
    {"liters", L},
    {"litre", L},
    {"litres", L},
    {"ml", ML},
    {"milliliter", ML},
    {"milliliters", ML},
    {"us_gal", GAL},
    {"gallon", GAL},
    {"gallons", GAL},
    {"quart", QT},
    {"pint", PT},
    {"cups", CUP},
    {"fl oz", FLOZ},
    {"floz", FLOZ},
    {"fluid_ounce", FLOZ},
    {"sec", S},
    {"second", S},
    {"seconds", S},
    {"millisecond", MS},
    {"milliseconds", MS},
    {"minute", MIN},
    {"minutes", MIN},
    {"mins", MIN},
    {"hr", H},
    {"hour", H},
    {"hours", H},
    {"day", D},
    {"days", D},
    {"week", WK},
    {"weeks", WK},
    {"hertz", HZ},
    {"beats_per_second", HZ},
    {"beats_per_minute", BPM},
    {"beats/min", BPM},
    {"beats per minute", BPM},
    {"/min", BPM},
    {"1/min", BPM},
};

#define NUNITS   (sizeof units / sizeof units[0])
#define NALIASES (sizeof aliases / sizeof aliases[0])

static int same(const char *name, const char *p, size_t n, int icase)
{
    return strlen(name) == n && (icase ? !strncasecmp(name, p, n) : !memcmp(name, p, n));
}

const struct sl_unit *sl_unit_find(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    if (!n) return NULL;
    for (int icase = 0; icase < 2; icase++) {
        for (size_t i = 0; i < NUNITS; i++)
            if (same(units[i].name, p, n, icase)) return &units[i];
        for (size_t i = 0; i < NALIASES; i++)
            if (same(aliases[i].alias, p, n, icase)) return &units[aliases[i].unit];
    }
    return NULL;
}

int sl_unit_convert(double v, const struct sl_unit *from, const struct sl_unit *to, double *out)
{
    if (strcmp(from->dimension, to->dimension)) return -1;
    if (from == to) {
        *out = v;
        return 0;
    }
    double base = v + from->offset;
    /* one multiplication where one side is the base unit; °F (factor 5/9) as × 9 / 5 */
    if (from->factor == to->factor)
        ;
    else if (!strcmp(to->dimension, "temperature"))
        base = to->factor == 1 ? base * 5 / 9 : base * 9 / 5;
    else if (to->factor == 1)
        base *= from->factor;
    else if (from->factor == 1)
        base /= to->factor;
    else
        base = base * from->factor / to->factor;
    *out = base - to->offset;
    return 0;
}

/* The exponent of the last digit written in p[0..n) (a number's text): "150" 0, "98.6" -1,
 * "1.5e3" 2, "0.250" -3. */
static int last_digit_exp(const char *p, size_t n)
{
    size_t i = 0, frac = 0;
    int dot = 0, e = 0;
    while (i < n && p[i] != 'e' && p[i] != 'E') {
        if (p[i] == '.')
            dot = 1;
        else if (dot && p[i] >= '0' && p[i] <= '9')
            frac++;
        i++;
    }
    if (i < n) {
        int sign = 1;
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) sign = p[i++] == '-' ? -1 : 1;
        for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
            if (e < 10000) e = e * 10 + (p[i] - '0');
        e *= sign;
    }
    return e - (int)frac;
}

int sl_unit_decimals(const char *p, size_t n, const struct sl_unit *from, const struct sl_unit *to,
                     double out)
{
    /* the input's resolution (one unit of its last digit) in the target unit, one more digit */
    double ratio = from->factor / to->factor;
    double res = pow(10, last_digit_exp(p, n)) * fabs(ratio);
    int dec = res > 0 && isfinite(res) ? 1 - (int)floor(log10(res)) : 15;
    /* never more than the 15 significant digits a double holds */
    if (out != 0 && isfinite(out)) {
        int most = 14 - (int)floor(log10(fabs(out)));
        if (dec > most) dec = most;
    }
    if (dec > 15) dec = 15;
    if (dec < -15) dec = -15;
    return dec;
}
