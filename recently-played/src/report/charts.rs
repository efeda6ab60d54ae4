//! The page's charts, drawn as SVG by plotters. Text and axes are drawn black and the page's
//! stylesheet recolours them (a CSS rule outranks an SVG presentation attribute), so that
//! each chart reads in light and dark mode and in print; the bars' colours read on both.

use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::RangedCoordusize;
use plotters::prelude::*;

/// The series' colours, one per service in the page's order.
pub(crate) const PALETTE: [RGBColor; 4] = [
    RGBColor(0x2a, 0x9d, 0x8f),
    RGBColor(0xe7, 0x6f, 0x51),
    RGBColor(0x45, 0x7b, 0x9d),
    RGBColor(0xc9, 0x9a, 0x2e),
];

const WIDTH: u32 = 760;
const FONT: &str = "sans-serif";

/// One series of a stacked bar chart.
pub(crate) struct Series<'a> {
    /// Its name, in the legend.
    pub(crate) name: &'a str,
    /// Its value in each bucket.
    pub(crate) values: Vec<f64>,
}

/// A chart that could not be drawn (plotters' own error, as text).
#[derive(Debug)]
pub(crate) struct ChartError(pub(crate) String);

fn chart_error(e: impl std::fmt::Display) -> ChartError {
    ChartError(e.to_string())
}

/// Bars per bucket (`labels`), one stacked segment per series, `unit` on the y axis.
pub(crate) fn stacked_bars(
    labels: &[String],
    series: &[Series<'_>],
    unit: &str,
) -> Result<String, ChartError> {
    let buckets = labels.len();
    let totals: Vec<f64> = (0..buckets)
        .map(|i| series.iter().map(|s| s.values[i]).sum())
        .collect();
    let top = totals.iter().copied().fold(0.0_f64, f64::max).max(1.0) * 1.08;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 300)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(56)
            .build_cartesian_2d(categories(buckets), 0.0..top)
            .map_err(chart_error)?;
        let label_of = |value: &SegmentValue<usize>| match value {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                labels.get(*i).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(1)
            .y_labels(6)
            .x_labels(buckets.min(8))
            .x_label_formatter(&label_of)
            .y_desc(unit)
            .y_label_formatter(&|v: &f64| number(*v, top))
            .label_style((FONT, 13))
            .light_line_style(BLACK.mix(0.06))
            .bold_line_style(BLACK.mix(0.15))
            .draw()
            .map_err(chart_error)?;
        let mut base = vec![0.0; buckets];
        for (index, one) in series.iter().enumerate() {
            let color = PALETTE[index % PALETTE.len()];
            let segments: Vec<Rectangle<(SegmentValue<usize>, f64)>> = (0..buckets)
                .filter(|&i| one.values[i] > 0.0)
                .map(|i| {
                    let bottom = base[i];
                    let mut segment = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), bottom),
                            (SegmentValue::Exact(i + 1), bottom + one.values[i]),
                        ],
                        color.filled(),
                    );
                    // A pixel each side, so that neighbouring bars stay apart.
                    segment.set_margin(0, 0, 1, 1);
                    segment
                })
                .collect();
            for (sum, value) in base.iter_mut().zip(&one.values) {
                *sum += value;
            }
            chart
                .draw_series(segments)
                .map_err(chart_error)?
                .label(one.name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
        }
        if series.len() > 1 {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font((FONT, 13))
                .border_style(BLACK.mix(0.3))
                .background_style(TRANSPARENT)
                .draw()
                .map_err(chart_error)?;
        }
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// Plays per weekday (rows, Monday first) and hour (columns): the darker, the more.
pub(crate) fn heatmap(
    week_hours: &[[u64; 24]; 7],
    weekdays: &[&str; 7],
) -> Result<String, ChartError> {
    let most = week_hours
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 260)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(48)
            .build_cartesian_2d(categories(24), categories(7))
            .map_err(chart_error)?;
        // Monday on top: row `r` of the chart is weekday `6 - r`.
        let weekday_of = |value: &SegmentValue<usize>| match value {
            SegmentValue::CenterOf(r) | SegmentValue::Exact(r) if *r < 7 => {
                weekdays[6 - r].to_string()
            }
            _ => String::new(),
        };
        let hour_of = |value: &SegmentValue<usize>| match value {
            SegmentValue::CenterOf(h) | SegmentValue::Exact(h) if *h < 24 => format!("{h:02}h"),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(12)
            .y_labels(7)
            .x_label_formatter(&hour_of)
            .y_label_formatter(&weekday_of)
            .label_style((FONT, 13))
            .draw()
            .map_err(chart_error)?;
        let color = PALETTE[0];
        let cells = (0..7).flat_map(|day| {
            (0..24).map(move |hour| {
                let plays = week_hours[day][hour] as f64;
                // An hour with no play is a faint outline, so that the grid stays readable.
                let style = if plays > 0.0 {
                    color.mix(0.15 + 0.85 * plays / most).filled()
                } else {
                    BLACK.mix(0.04).filled()
                };
                Rectangle::new(
                    [
                        (SegmentValue::Exact(hour), SegmentValue::Exact(6 - day)),
                        (SegmentValue::Exact(hour + 1), SegmentValue::Exact(7 - day)),
                    ],
                    style,
                )
            })
        });
        chart.draw_series(cells).map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// Horizontal bars, the first label on top, each bar's value written at its end.
pub(crate) fn ranked_bars(labels: &[String], plays: &[u64]) -> Result<String, ChartError> {
    let rows = labels.len();
    let most = plays.iter().copied().max().unwrap_or(0).max(1) as f64;
    let height = 40 + 22 * rows.max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(260)
            .build_cartesian_2d(0.0..most * 1.12, categories(rows))
            .map_err(chart_error)?;
        let label_of = |value: &SegmentValue<usize>| match value {
            SegmentValue::CenterOf(r) | SegmentValue::Exact(r) if *r < rows => {
                shortened(&labels[rows - 1 - r], 38)
            }
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .max_light_lines(1)
            .y_labels(rows)
            .y_label_formatter(&label_of)
            .x_desc("plays")
            .x_label_formatter(&|v: &f64| number(*v, most))
            .label_style((FONT, 13))
            .light_line_style(BLACK.mix(0.06))
            .bold_line_style(BLACK.mix(0.15))
            .draw()
            .map_err(chart_error)?;
        let color = PALETTE[2];
        chart
            .draw_series(plays.iter().enumerate().map(|(rank, &n)| {
                let row = rows - 1 - rank;
                Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(row)),
                        (n as f64, SegmentValue::Exact(row + 1)),
                    ],
                    color.filled(),
                )
            }))
            .map_err(chart_error)?;
        chart
            .draw_series(plays.iter().enumerate().map(|(rank, &n)| {
                // Just right of the bar's end, centred on it.
                EmptyElement::at((n as f64, SegmentValue::CenterOf(rows - 1 - rank)))
                    + Text::new(n.to_string(), (4, -6), (FONT, 12).into_font().color(&BLACK))
            }))
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// `count` categories, one segment each: plotters' integer ranges hold both ends.
fn categories(count: usize) -> SegmentedCoord<RangedCoordusize> {
    (0..count.max(1) - 1).into_segmented()
}

/// An axis label: whole numbers, unless the axis' largest value is small.
fn number(value: f64, largest: f64) -> String {
    if largest < 5.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

/// `text` cut at `chars` characters, with an ellipsis when cut (the table has it whole).
fn shortened(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A filled rectangle of an SVG that plotters drew.
    #[derive(Debug, Clone, PartialEq)]
    struct Rect {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        fill: String,
        opacity: f64,
    }

    /// The value of `name` in an SVG element's attributes.
    fn attribute<'a>(element: &'a str, name: &str) -> &'a str {
        let start = element
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("no {name} in {element}"))
            + name.len()
            + 3;
        let len = element[start..].find('"').expect("a closing quote");
        &element[start..start + len]
    }

    /// Every `<rect>` of `svg`, in drawing order.
    fn rects(svg: &str) -> Vec<Rect> {
        svg.split("<rect")
            .skip(1)
            .map(|element| {
                let number = |name| attribute(element, name).parse::<f64>().expect(name);
                Rect {
                    x: number("x"),
                    y: number("y"),
                    width: number("width"),
                    height: number("height"),
                    fill: attribute(element, "fill").to_ascii_lowercase(),
                    opacity: number("opacity"),
                }
            })
            .collect()
    }

    /// The texts of `svg`, in drawing order.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .map(|element| {
                let body = &element[element.find('>').expect("a tag's end") + 1..];
                body[..body.find("</text>").expect("a closing tag")]
                    .trim()
                    .to_string()
            })
            .collect()
    }

    /// `color` as the SVG writes it, in lower case.
    fn hex(color: RGBColor) -> String {
        format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2)
    }

    fn filled_with(rects: &[Rect], color: RGBColor) -> Vec<Rect> {
        rects
            .iter()
            .filter(|r| r.fill == hex(color))
            .cloned()
            .collect()
    }

    #[test]
    fn each_series_stacks_on_the_ones_before_it_in_proportion_with_its_swatch_in_the_legend() {
        let labels = ["Mon".to_string(), "Tue".to_string()];
        let series = [
            Series {
                name: "first",
                values: vec![2.0, 0.0],
            },
            Series {
                name: "second",
                values: vec![1.0, 3.0],
            },
        ];
        let svg = stacked_bars(&labels, &series, "plays").expect("a chart");
        let all = rects(&svg);
        let (bars, swatches): (Vec<Rect>, Vec<Rect>) = all
            .iter()
            .filter(|r| r.fill != "none")
            .cloned()
            .partition(|r| r.height > 10.0);
        let first = filled_with(&bars, PALETTE[0]);
        let second = filled_with(&bars, PALETTE[1]);
        assert_eq!(first.len(), 1, "a value of 0 draws no segment: {first:?}");
        assert_eq!(second.len(), 2, "{second:?}");
        let unit = first[0].height / 2.0;
        // Monday: the second series sits on the first, half as tall.
        assert_eq!(second[0].x, first[0].x, "one bar per bucket");
        assert_eq!(second[0].y + second[0].height, first[0].y, "stacked on it");
        assert!(
            (second[0].height - unit).abs() < 1.0,
            "{second:?} against {unit}"
        );
        // Tuesday: the second series alone, from the axis, three units tall.
        assert!(
            second[1].x > first[0].x,
            "the second bucket right of the first"
        );
        assert_eq!(
            second[1].y + second[1].height,
            first[0].y + first[0].height,
            "on the axis"
        );
        assert!(
            (second[1].height - 3.0 * unit).abs() < 1.0,
            "{second:?} against {unit}"
        );
        // The legend: a square of each series' colour, inside the legend's frame.
        let frame = all
            .iter()
            .find(|r| r.fill == "none")
            .expect("the legend's frame");
        assert_eq!(swatches.len(), 2, "{swatches:?}");
        for (swatch, color) in swatches.iter().zip(PALETTE) {
            assert_eq!(swatch.fill, hex(color));
            assert_eq!((swatch.width, swatch.height), (10.0, 10.0), "{swatch:?}");
            assert!(
                swatch.x > frame.x && swatch.x + swatch.width < frame.x + frame.width,
                "{swatch:?} outside {frame:?}"
            );
        }
        let written = texts(&svg);
        assert!(written.contains(&"first".into()) && written.contains(&"second".into()));
        // The axis counts to the tallest bar, in tenths below 5.
        for tick in ["0.0", "1.0", "3.0"] {
            assert!(written.contains(&tick.into()), "{tick} in {written:?}");
        }
    }

    #[test]
    fn the_heatmap_colours_hours_with_plays_darker_for_more_monday_on_top() {
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let mut week_hours = [[0_u64; 24]; 7];
        week_hours[0][3] = 4; // Monday, 03h: the most
        week_hours[6][23] = 1; // Sunday, 23h
        let svg = heatmap(&week_hours, &weekdays).expect("a chart");
        let cells = rects(&svg);
        assert_eq!(cells.len(), 7 * 24, "a cell per hour of the week");
        let played = filled_with(&cells, PALETTE[0]);
        assert_eq!(
            played.len(),
            2,
            "only the hours with plays are coloured: {played:?}"
        );
        let faint = cells.iter().filter(|c| c.fill == "#000000").count();
        assert_eq!(faint, 7 * 24 - 2, "the others are a faint outline");
        let (monday, sunday) = (&played[0], &played[1]);
        assert!(
            monday.opacity > sunday.opacity,
            "more plays, darker: {played:?}"
        );
        assert_eq!(monday.opacity, 1.0, "the busiest hour is fully coloured");
        assert!(
            sunday.opacity < 0.5,
            "a quarter of its plays, light: {sunday:?}"
        );
        let top = cells.iter().map(|c| c.y).fold(f64::MAX, f64::min);
        let bottom = cells.iter().map(|c| c.y).fold(f64::MIN, f64::max);
        assert_eq!(
            (monday.y, sunday.y),
            (top, bottom),
            "Monday on top, Sunday below"
        );
        let left = cells.iter().map(|c| c.x).fold(f64::MAX, f64::min);
        let right = cells.iter().map(|c| c.x).fold(f64::MIN, f64::max);
        assert!(
            monday.x > left && monday.x < right / 4.0,
            "03h near the left: {monday:?}"
        );
        assert_eq!(sunday.x, right, "23h, the last column");
        let labels = texts(&svg);
        for day in weekdays {
            assert!(labels.iter().any(|l| l == day), "{day} in {labels:?}");
        }
        let hours: Vec<&String> = labels.iter().filter(|l| l.ends_with('h')).collect();
        assert!(
            hours.len() >= 4 && hours.contains(&&"00h".to_string()),
            "{labels:?}"
        );
    }

    #[test]
    fn ranked_bars_are_as_long_as_their_plays_first_on_top_and_the_chart_grows_a_row_each() {
        let labels: Vec<String> = ["one", "two", "three"].map(String::from).to_vec();
        let svg = ranked_bars(&labels, &[6, 3, 1]).expect("a chart");
        let bars = filled_with(&rects(&svg), PALETTE[2]);
        assert_eq!(bars.len(), 3, "{bars:?}");
        assert!(
            bars[0].y < bars[1].y && bars[1].y < bars[2].y,
            "first on top: {bars:?}"
        );
        let unit = bars[0].width / 6.0;
        assert!((bars[1].width - 3.0 * unit).abs() < 1.0, "{bars:?}");
        assert!((bars[2].width - unit).abs() < 1.0, "{bars:?}");
        let height = |svg: &str| attribute(svg, "height").parse::<u32>().expect("a height");
        let longer: Vec<String> = (0..6).map(|i| format!("row {i}")).collect();
        let taller = ranked_bars(&longer, &[6, 5, 4, 3, 2, 1]).expect("a chart");
        assert_eq!(height(&taller) - height(&svg), 3 * 22, "22 px per row");
        let written = texts(&svg);
        for label in ["one", "two", "three", "6", "3", "1"] {
            assert!(written.iter().any(|t| t == label), "{label} in {written:?}");
        }
        // The axis in whole numbers from 0 (the bars' own values are written once each).
        let zeros = written.iter().filter(|t| *t == "0").count();
        let fives = written.iter().filter(|t| *t == "5").count();
        assert_eq!((zeros, fives), (1, 1), "{written:?}");
    }

    #[test]
    fn the_longest_bar_leaves_room_for_its_number_however_large() {
        let plot_width = f64::from(WIDTH) - 260.0 - 2.0 * 10.0;
        for plays in [1, 1_000, 1_000_000] {
            let svg = ranked_bars(&["one".to_string()], &[plays]).expect("a chart");
            let bar = &filled_with(&rects(&svg), PALETTE[2])[0];
            assert!(
                bar.width < 0.92 * plot_width,
                "{plays}: {bar:?} of {plot_width}"
            );
            assert!(
                bar.width > 0.8 * plot_width,
                "{plays}: {bar:?} of {plot_width}"
            );
        }
    }

    #[test]
    fn a_long_label_is_cut_with_an_ellipsis_and_a_short_one_kept_whole() {
        let long = "An Extremely Long Track Title That Goes On (Remastered 2011)".to_string();
        let svg = ranked_bars(&[long.clone(), "Short".to_string()], &[2, 1]).expect("a chart");
        let written = texts(&svg);
        let cut: String = long.chars().take(38).chain(['…']).collect();
        assert!(written.contains(&cut), "{cut} in {written:?}");
        assert!(written.contains(&"Short".to_string()), "{written:?}");
    }
}
