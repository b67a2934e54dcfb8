# The forecaster's three development sets: real series from R's own packages (datasets, MASS,
# boot, lattice, nlme; all shipped with R), written as date,value CSVs for bench/forecast:
#
#   Rscript bench/forecast/export_r_sets.R OUT      writes OUT/dev1, OUT/dev2, OUT/dev3
#   node bench/forecast/run.mjs OUT/dev1             scores the forecaster on one of them
#
# dev1 is what the forecaster's choices were tuned on; dev2 was first looked at after a change
# had been made on dev1, to check it generalises; dev3 was kept aside for the same purpose a
# session later. None is shipped: the bundled examples are in data/timeseries.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript bench/forecast/export_r_sets.R OUT")
put <- function(set, name, x) {
  dir <- file.path(args[1], set)
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  f <- if (is.ts(x)) frequency(x) else 1
  tt <- if (is.ts(x)) as.numeric(time(x)) else seq_along(x)
  year <- floor(tt + 1e-6)
  date <- if (f == 12) sprintf("%d-%02d", year, round((tt - year) * 12) + 1)
          else if (f == 4) sprintf("%d-Q%d", year, round((tt - year) * 4) + 1)
          else if (is.ts(x) && f == 1) sprintf("%d", year)
          else seq_along(x)
  write.csv(data.frame(date = date, value = as.numeric(x)), file.path(dir, paste0(name, ".csv")),
            row.names = FALSE, na = "", quote = FALSE)
}
put("dev1", "austres", austres); put("dev1", "BJsales", BJsales); put("dev1", "discoveries", discoveries)
put("dev1", "dax", EuStockMarkets[, "DAX"]); put("dev1", "ftse", EuStockMarkets[, "FTSE"])
put("dev1", "JohnsonJohnson", JohnsonJohnson); put("dev1", "LakeHuron", LakeHuron); put("dev1", "lh", lh)
put("dev1", "nhtemp", nhtemp); put("dev1", "uspop", uspop); put("dev1", "treering", treering)
put("dev1", "airmiles", airmiles); put("dev1", "presidents", presidents); put("dev1", "WWWusage", WWWusage)
put("dev1", "USAccDeaths", USAccDeaths); put("dev1", "UKDriverDeaths", UKDriverDeaths)
put("dev1", "freeny_y", freeny.y); put("dev1", "beaver1", beaver1$temp)
put("dev1", "seatbelts_van", Seatbelts[, "VanKilled"]); put("dev1", "airquality_temp", airquality$Temp)

put("dev2", "sunspot_year", sunspot.year)
put("dev2", "eustock_smi", EuStockMarkets[, "SMI"]); put("dev2", "eustock_cac", EuStockMarkets[, "CAC"])
put("dev2", "seatbelts_front", Seatbelts[, "front"]); put("dev2", "seatbelts_rear", Seatbelts[, "rear"])
put("dev2", "seatbelts_petrol", Seatbelts[, "PetrolPrice"]); put("dev2", "seatbelts_kms", Seatbelts[, "kms"])
put("dev2", "fdeaths", fdeaths); put("dev2", "beaver2", beaver2$temp); put("dev2", "BJsales_lead", BJsales.lead)
put("dev2", "airquality_ozone", airquality$Ozone); put("dev2", "airquality_wind", airquality$Wind)
put("dev2", "faithful_waiting", faithful$waiting); put("dev2", "morley_speed", morley$Speed)
put("dev2", "manaus", boot::manaus)

put("dev3", "drivers_killed", Seatbelts[, "DriversKilled"]); put("dev3", "mdeaths", mdeaths)
put("dev3", "longley_gnp", longley$GNP); put("dev3", "longley_employed", longley$Employed)
put("dev3", "wtloss", MASS::wtloss$Weight); put("dev3", "geyser_waiting", MASS::geyser$waiting)
put("dev3", "phones", MASS::phones$calls); put("dev3", "airquality_solar", airquality$Solar.R)
put("dev3", "freeny_income", freeny$income.level); put("dev3", "freeny_price", freeny$price.index)
put("dev3", "wool", boot::wool); put("dev3", "melanoma", lattice::melanoma$incidence)
put("dev3", "beaver1_activ", beaver1$activ)
ovary <- nlme::Ovary
put("dev3", "ovary_mare1", ovary$follicles[ovary$Mare == 1])
